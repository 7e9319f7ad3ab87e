package dev.refit.testing.invariants;

import dev.refit.api.RefitApi;
import dev.refit.testing.ApiCall;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code specNeverWritten}: the operator never writes a policy's spec — the user's intent is theirs
 * alone (house rule: never write the user's spec). Judged at the end from the embedded API's
 * request log ({@code EmbeddedKubernetes.requests().calls()}): any create, update or patch by the
 * given client (its User-Agent prefix) of {@code osupdatepolicies} itself, not its {@code /status},
 * that touches {@code spec} or the whole object ({@code *}) is a violation. Writes of metadata
 * alone (finalizers) are fine.
 */
public final class SpecNeverWritten implements Invariant {

  public static final String NAME = Violation.SPEC_NEVER_WRITTEN;

  static final String RESOURCE = "osupdatepolicies";

  private static final Set<String> WRITES = Set.of("create", "update", "patch");

  private final String clientPrefix;
  private final Supplier<? extends Collection<ApiCall>> calls;

  /**
   * @param clientPrefix the User-Agent the operator's client sends begins with this, e.g. {@code
   *     "refit-operator/"}
   * @param calls the API's log of distinct calls, such as {@code () -> api.requests().calls()}
   */
  public SpecNeverWritten(String clientPrefix, Supplier<? extends Collection<ApiCall>> calls) {
    this.clientPrefix = clientPrefix;
    this.calls = calls;
  }

  @Override
  public List<Violation> atEnd(SeenNodes fleet) {
    return calls.get().stream()
        .filter(SpecNeverWritten::writesSpec)
        .filter(call -> call.client().startsWith(clientPrefix))
        .map(
            call ->
                Violation.seen(
                    NAME,
                    null,
                    call.client()
                        + " wrote the spec of a policy ("
                        + call.verb()
                        + " of "
                        + (call.fields().isEmpty() ? "?" : call.fields())
                        + ")"))
        .sorted((a, b) -> a.detail().compareTo(b.detail()))
        .toList();
  }

  private static boolean writesSpec(ApiCall call) {
    return WRITES.contains(call.verb())
        && RefitApi.GROUP.equals(call.group())
        && RESOURCE.equals(call.resource())
        && Arrays.stream(call.fields().split(",")).anyMatch(f -> f.equals("spec") || f.equals("*"));
  }
}
