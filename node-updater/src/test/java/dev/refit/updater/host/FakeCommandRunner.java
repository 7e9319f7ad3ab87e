package dev.refit.updater.host;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link CommandRunner} that answers from a script instead of starting processes, and records
 * every call. For unit tests, the fake OS backend and the fleet simulator.
 *
 * <p>Answers are scripted per exact argv. Several answers for one argv are given out in order and
 * the last one repeats, which models a status that changes once (Idle, then Ready). An argv with no
 * script fails like a missing executable, so a test that forgot a step fails loudly.
 */
public final class FakeCommandRunner implements CommandRunner {

  /** One scripted answer. */
  public sealed interface Answer {

    /** The command ran and printed this. */
    record Output(int exitCode, String stdout, String stderr) implements Answer {}

    /** The command ran past its timeout. */
    record Timeout(String partialStdout, String partialStderr) implements Answer {}

    /** The command could not be started. */
    record StartFailure(String reason) implements Answer {}
  }

  /** A recorded call. */
  public record Call(List<String> argv, Duration timeout) {}

  private final Map<List<String>, Deque<Answer>> script = new HashMap<>();
  private final List<Call> calls = new ArrayList<>();

  /** Scripts answers for {@code argv}, given out in order; the last one repeats. */
  public synchronized FakeCommandRunner answer(List<String> argv, Answer... answers) {
    if (answers.length == 0) {
      throw new IllegalArgumentException("at least one answer is needed for " + argv);
    }
    script.computeIfAbsent(List.copyOf(argv), k -> new ArrayDeque<>()).addAll(List.of(answers));
    return this;
  }

  /** Scripts a successful run that prints {@code stdout}. */
  public FakeCommandRunner succeed(List<String> argv, String stdout) {
    return answer(argv, new Answer.Output(0, stdout, ""));
  }

  /** Scripts a run that exits with {@code exitCode} and prints {@code stderr}. */
  public FakeCommandRunner fail(List<String> argv, int exitCode, String stderr) {
    return answer(argv, new Answer.Output(exitCode, "", stderr));
  }

  /** Scripts a run that times out. */
  public FakeCommandRunner timeOut(List<String> argv) {
    return answer(argv, new Answer.Timeout("", ""));
  }

  /** Every call so far, in order. */
  public synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The argv of every call so far, in order. */
  public synchronized List<List<String>> commands() {
    return calls.stream().map(Call::argv).toList();
  }

  @Override
  public synchronized CommandResult execute(List<String> argv, Duration timeout)
      throws CommandTimeoutException, CommandStartException {
    List<String> key = List.copyOf(argv);
    calls.add(new Call(key, timeout));
    Deque<Answer> answers = script.get(key);
    if (answers == null) {
      throw new CommandStartException(
          key, "FakeCommandRunner has no answer scripted for this argv", null);
    }
    Answer answer = answers.size() > 1 ? answers.removeFirst() : answers.getFirst();
    // Java 17 has no pattern switch; the interface is sealed, so these three cases are all.
    if (answer instanceof Answer.Timeout t) {
      throw new CommandTimeoutException(key, timeout, t.partialStdout(), t.partialStderr());
    }
    if (answer instanceof Answer.StartFailure s) {
      throw new CommandStartException(key, s.reason(), null);
    }
    Answer.Output o = (Answer.Output) answer;
    return new CommandResult(
        key, o.exitCode(), o.stdout(), o.stderr(), false, false, Duration.ZERO);
  }
}
