package dev.refit.updater.backend.bottlerocket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refit.updater.agent.HostRefusal;
import dev.refit.updater.host.HostException;
import dev.refit.updater.host.HostOutputException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The Bottlerocket update operator (brupop) as seen from the host. Its agent DaemonSet runs on
 * every node labelled {@value #LABEL} with an interface version it serves (2.0.0: the update API;
 * 1.0.0 was its updog-driven predecessor) and updates and reboots the node on its own, so such a
 * node has two update drivers. The label is visible on the host when it is set through the host's
 * settings ({@code settings.kubernetes.node-labels}, the usual way in user data); a label set only
 * with kubectl is visible to the operator, not here.
 *
 * <p>Sources: bottlerocket-os/bottlerocket-update-operator {@code
 * deploy/charts/bottlerocket-update-operator/templates/agent-daemonset.yaml} at 0006fe0 (the
 * required node affinity), {@code CHANGELOG.md} (the 1.0.0 and 2.0.0 interface versions).
 */
final class BottlerocketUpdateOperator {

  static final String LABEL = "bottlerocket.aws/updater-interface-version";
  static final Set<String> INTERFACES = Set.of("1.0.0", "2.0.0");
  static final List<String> NODE_LABELS =
      List.of("apiclient", "raw", "-u", "/settings?prefix=kubernetes.node-labels");
  static final String REASON = "UpdateOperatorScheduled";

  private static final ObjectMapper JSON = new ObjectMapper();

  private BottlerocketUpdateOperator() {}

  /** The refusal the node labels in the settings call for, if any. */
  static List<HostRefusal> refusals(String settingsJson) throws HostException {
    Optional<String> value = label(settingsJson);
    if (value.isEmpty() || !INTERFACES.contains(value.get())) {
      return List.of();
    }
    return List.of(
        new HostRefusal(
            REASON,
            "the Bottlerocket update operator (brupop) would update and reboot this node on its"
                + " own: its agent DaemonSet runs on nodes labelled "
                + LABEL
                + "="
                + value.get()
                + ", and this host's settings.kubernetes.node-labels set that label ("
                + String.join(" ", NODE_LABELS)
                + "). Set it to another value on the host (apiclient set 'kubernetes.node-labels.\""
                + LABEL
                + "\"=none'), remove it from the Node (kubectl label node <node> "
                + LABEL
                + "-), or uninstall the update operator"));
  }

  /** The label's value in a settings answer ({@code {"kubernetes":{"node-labels":{...}}}}). */
  static Optional<String> label(String settingsJson) throws HostException {
    String command = String.join(" ", NODE_LABELS);
    try {
      JsonNode root = JSON.readTree(settingsJson);
      if (root == null || !root.isObject()) {
        throw HostException.of(new HostOutputException(command, "a JSON object", settingsJson));
      }
      JsonNode settings = root.has("settings") ? root.path("settings") : root;
      JsonNode label = settings.path("kubernetes").path("node-labels").path(LABEL);
      return label.isTextual() ? Optional.of(label.asText()) : Optional.empty();
    } catch (JsonProcessingException e) {
      throw HostException.of(new HostOutputException(command, "JSON", settingsJson, e));
    }
  }
}
