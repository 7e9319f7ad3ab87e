package dev.refit.updater.backend.bottlerocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.updater.Fixtures;
import dev.refit.updater.backend.bottlerocket.BottlerocketSignpost.Flags;
import dev.refit.updater.host.HostOutputException;
import org.junit.jupiter.api.Test;

class BottlerocketSignpostTest {

  private static BottlerocketSignpost parse(String fixture) throws HostOutputException {
    return BottlerocketSignpost.parse(Fixtures.read(fixture));
  }

  @Test
  void aHostBootedIntoItsUpdateCanRollBackToTheSetThatBootedBefore() throws Exception {
    BottlerocketSignpost sets = parse("signpost-status-0.3-booted-b-rollback-a.txt");

    assertThat(sets.active()).isEqualTo("B");
    assertThat(sets.next()).contains("B");
    assertThat(sets.sets().get("A")).isEqualTo(new Flags(1, 0, true));
    assertThat(sets.armed()).isFalse();
    assertThat(sets.rollbackAvailable()).isTrue();
  }

  @Test
  void anActivatedUpdateIsArmedAndOffersNoRollback() throws Exception {
    BottlerocketSignpost sets = parse("signpost-status-0.3-activated-a.txt");

    assertThat(sets.active()).isEqualTo("B");
    assertThat(sets.next()).contains("A");
    assertThat(sets.armed()).isTrue();
    assertThat(sets.rollbackAvailable()).isFalse();
  }

  @Test
  void afterTheRebootTheOldSetIsTheRollback() throws Exception {
    BottlerocketSignpost sets = parse("signpost-status-0.3-booted-a-rollback-b.txt");

    assertThat(sets.active()).isEqualTo("A");
    assertThat(sets.inactive()).contains("B");
    assertThat(sets.rollbackAvailable()).isTrue();
  }

  @Test
  void aSetNeverWrittenOrBeingPreparedIsNoRollback() throws Exception {
    assertThat(parse("signpost-status-refit-never-updated.txt").rollbackAvailable()).isFalse();
    BottlerocketSignpost prepared = parse("signpost-status-refit-prepared-b.txt");
    assertThat(prepared.sets().get("B")).isEqualTo(new Flags(0, 1, false));
    assertThat(prepared.rollbackAvailable()).isFalse();
  }

  @Test
  void flagsAreReadByTheSetLetterNotByTheDevicePathsCurrentSignpostPrintsFirst() throws Exception {
    BottlerocketSignpost sets = parse("signpost-status-refit-booted-b-active-devices-first.txt");

    assertThat(sets.sets().get("A")).isEqualTo(new Flags(1, 0, true));
    assertThat(sets.sets().get("B")).isEqualTo(new Flags(2, 0, true));
    assertThat(sets.rollbackAvailable()).isTrue();
  }

  @Test
  void aSingleSetDiskHasNothingToRollBackTo() throws Exception {
    BottlerocketSignpost sets = parse("signpost-status-refit-single-set.txt");

    assertThat(sets.inactive()).isEmpty();
    assertThat(sets.rollbackAvailable()).isFalse();
  }

  @Test
  void aTruncatedStatusIsAnErrorQuotingTheLine() {
    assertThatThrownBy(() -> parse("signpost-status-refit-truncated.txt"))
        .isInstanceOf(HostOutputException.class)
        .hasMessageContaining("signpost status")
        .hasMessageContaining("tries_left=0 succ");
  }

  @Test
  void otherOutputIsRejected() {
    assertThatThrownBy(() -> BottlerocketSignpost.parse("USAGE:\n    signpost <SUBCOMMAND>\n"))
        .isInstanceOf(HostOutputException.class);
  }

  @Test
  void aPriorityTooLargeForAnIntIsAnErrorNamingTheFlagNotANumberFormatException() {
    String output =
        Fixtures.read("signpost-status-0.3-booted-b-rollback-a.txt")
            .replace("priority=1 ", "priority=99999999999999999 ");

    assertThatThrownBy(() -> BottlerocketSignpost.parse(output))
        .isInstanceOf(HostOutputException.class)
        .hasMessageContaining("signpost status: expected priority from 0 to 15")
        .hasMessageContaining("priority=99999999999999999");
  }

  @Test
  void triesLeftAboveTheFourBitsOfTheFlagIsAnError() {
    String output =
        Fixtures.read("signpost-status-0.3-booted-b-rollback-a.txt")
            .replace("priority=2 tries_left=0", "priority=2 tries_left=16");

    assertThatThrownBy(() -> BottlerocketSignpost.parse(output))
        .isInstanceOf(HostOutputException.class)
        .hasMessageContaining("expected tries_left from 0 to 15");
  }
}
