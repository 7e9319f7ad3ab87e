package dev.refit.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where the canary phase of the current target stands: which nodes are the canaries, whether they
 * are still updating, soaking or have passed, and when the soak ends.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CanaryStatus {

  /** The phases, as {@code status.canary.phase} spells them. */
  public static final String UPDATING = "Updating";

  public static final String SOAKING = "Soaking";
  public static final String PASSED = "Passed";
  public static final String FAILED = "Failed";
  public static final String NO_CANARIES = "NoCanaries";

  /** Every field, so a merge patch can remove those a new phase lacks. */
  public static final java.util.List<String> FIELDS =
      java.util.List.of("phase", "nodes", "count", "soakEndsAt", "message");

  /** How many canaries status names at most; {@code count} counts them all. */
  public static final int MAX_NODES = 10;

  @JsonPropertyDescription(
      "Updating: only the canaries may start. Soaking: every canary is updated and healthy; the"
          + " rest waits until soakEndsAt. Passed: the rest of the fleet rolls out. Failed: a canary"
          + " failed or was unhealthy during its soak; the rollout is halted. NoCanaries:"
          + " canary.nodeSelector selects none of the policy's nodes; nothing starts.")
  private String phase;

  @JsonPropertyDescription(
      "The canaries of the current target, in rollout order (at most 10; count counts them all).")
  private List<String> nodes = new ArrayList<>();

  @JsonPropertyDescription("How many canaries the current target has.")
  private int count;

  @JsonPropertyDescription(
      "When the soak ends and the rest of the fleet may start (RFC 3339); set once every canary"
          + " is updated.")
  private String soakEndsAt;

  @JsonPropertyDescription("The phase in one line, naming the canaries and what they wait for.")
  private String message;

  public CanaryStatus() {}

  public String getPhase() {
    return phase;
  }

  public void setPhase(String phase) {
    this.phase = phase;
  }

  public List<String> getNodes() {
    return nodes;
  }

  public void setNodes(List<String> nodes) {
    this.nodes = nodes == null ? new ArrayList<>() : nodes;
  }

  public int getCount() {
    return count;
  }

  public void setCount(int count) {
    this.count = count;
  }

  public String getSoakEndsAt() {
    return soakEndsAt;
  }

  public void setSoakEndsAt(String soakEndsAt) {
    this.soakEndsAt = soakEndsAt;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CanaryStatus other
        && count == other.count
        && Objects.equals(phase, other.phase)
        && Objects.equals(nodes, other.nodes)
        && Objects.equals(soakEndsAt, other.soakEndsAt)
        && Objects.equals(message, other.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(phase, nodes, count, soakEndsAt, message);
  }
}
