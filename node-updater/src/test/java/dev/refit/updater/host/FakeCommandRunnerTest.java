package dev.refit.updater.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FakeCommandRunnerTest {

  private static final List<String> STATUS = List.of("rpm-ostree", "status", "--json");
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @Test
  void answersTheScriptedOutputAndRecordsTheCall() throws Exception {
    FakeCommandRunner fake = new FakeCommandRunner().succeed(STATUS, "{}");

    CommandResult result = fake.execute(STATUS, TIMEOUT);

    assertThat(result.stdout()).isEqualTo("{}");
    assertThat(result.succeeded()).isTrue();
    assertThat(fake.calls()).containsExactly(new FakeCommandRunner.Call(STATUS, TIMEOUT));
    assertThat(fake.commands()).containsExactly(STATUS);
  }

  @Test
  void givesOutSeveralAnswersInOrderAndRepeatsTheLast() throws Exception {
    FakeCommandRunner fake =
        new FakeCommandRunner()
            .answer(
                STATUS,
                new FakeCommandRunner.Answer.Output(0, "first", ""),
                new FakeCommandRunner.Answer.Output(0, "second", ""));

    assertThat(fake.execute(STATUS, TIMEOUT).stdout()).isEqualTo("first");
    assertThat(fake.execute(STATUS, TIMEOUT).stdout()).isEqualTo("second");
    assertThat(fake.execute(STATUS, TIMEOUT).stdout()).isEqualTo("second");
    assertThat(fake.calls()).hasSize(3);
  }

  @Test
  void aScriptedFailureIsReturnedByExecuteAndThrownByRun() throws Exception {
    FakeCommandRunner fake = new FakeCommandRunner().fail(STATUS, 1, "error: daemon busy");

    assertThat(fake.execute(STATUS, TIMEOUT).exitCode()).isEqualTo(1);
    assertThatThrownBy(() -> fake.run(STATUS, TIMEOUT))
        .isInstanceOf(CommandFailedException.class)
        .hasMessageContaining("daemon busy");
  }

  @Test
  void aScriptedTimeoutAndStartFailureAreThrownLikeTheRealOnes() {
    FakeCommandRunner fake =
        new FakeCommandRunner()
            .timeOut(STATUS)
            .answer(List.of("bootc"), new FakeCommandRunner.Answer.StartFailure("not installed"));

    assertThatThrownBy(() -> fake.execute(STATUS, TIMEOUT))
        .isInstanceOf(CommandTimeoutException.class);
    assertThatThrownBy(() -> fake.execute(List.of("bootc"), TIMEOUT))
        .isInstanceOf(CommandStartException.class)
        .hasMessageContaining("not installed");
  }

  @Test
  void anUnscriptedCommandFailsLoudlyAndIsStillRecorded() {
    FakeCommandRunner fake = new FakeCommandRunner();

    assertThatThrownBy(() -> fake.execute(List.of("getenforce"), TIMEOUT))
        .isInstanceOf(CommandStartException.class)
        .hasMessageContaining("no answer scripted");
    assertThat(fake.commands()).containsExactly(List.of("getenforce"));
  }
}
