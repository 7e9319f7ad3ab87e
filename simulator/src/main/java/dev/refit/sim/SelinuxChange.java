package dev.refit.sim;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.refit.updater.backend.fake.FakeSelinux;
import dev.refit.updater.selinux.HostSelinuxMode;
import dev.refit.updater.selinux.ModuleNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A change a person makes by hand to the SELinux of some hosts, behind Refit's back: exactly one of
 * a boolean set persistently ({@code setsebool -P name=off}), the running mode switched ({@code
 * setenforce 0}), or every copy of a module removed ({@code semodule -X p -r}). The agents see it
 * at their next fact refresh and report it as drift. See docs/simulator.md.
 *
 * @param nodes the hosts it is made on
 * @param bool {@code name=on} or {@code name=off}
 * @param setenforce {@code Enforcing} or {@code Permissive}
 * @param removeModule a module name
 */
public record SelinuxChange(
    List<String> nodes,
    @JsonProperty("boolean") String bool,
    String setenforce,
    String removeModule) {

  private static final Pattern BOOLEAN = Pattern.compile("([A-Za-z0-9_]+)=(on|off)");

  public SelinuxChange {
    nodes = nodes == null ? List.of() : List.copyOf(nodes);
  }

  /** Why the change cannot be made, or null when it is sound. */
  String problem() {
    if (nodes.isEmpty()) {
      return "selinux needs nodes: the hosts the change is made on";
    }
    List<String> changes = new ArrayList<>();
    if (bool != null) {
      changes.add("boolean");
    }
    if (setenforce != null) {
      changes.add("setenforce");
    }
    if (removeModule != null) {
      changes.add("removeModule");
    }
    if (changes.size() != 1) {
      return "selinux makes exactly one change (boolean, setenforce or removeModule), found "
          + (changes.isEmpty() ? "none" : String.join(", ", changes));
    }
    if (bool != null && !BOOLEAN.matcher(bool).matches()) {
      return "selinux.boolean must be name=on or name=off, like httpd_can_network_connect=off";
    }
    if (setenforce != null && mode().isEmpty()) {
      return "selinux.setenforce must be Enforcing or Permissive";
    }
    if (removeModule != null && !ModuleNames.valid(removeModule)) {
      return "selinux.removeModule must be a module name as semodule lists it, like nginx-custom";
    }
    return null;
  }

  /** What is done, for the progress notes. */
  String describe() {
    String what =
        bool != null
            ? "setsebool -P " + bool
            : setenforce != null
                ? "setenforce " + setenforce
                : "semodule -r " + removeModule + " (every priority)";
    return "a person ran " + what + " on " + String.join(", ", nodes);
  }

  /** Makes the change on one host; empty, or what the tool said when it refused. */
  Optional<String> applyTo(FakeSelinux selinux) {
    if (bool != null) {
      Matcher m = BOOLEAN.matcher(bool);
      if (!m.matches()) {
        throw new IllegalStateException("checked when the scenario was read: " + bool);
      }
      return selinux.setBooleanByHand(m.group(1), m.group(2).equals("on"), true);
    }
    if (setenforce != null) {
      return selinux.setenforceByHand(mode().orElseThrow());
    }
    return selinux.removeModuleByHand(removeModule);
  }

  private Optional<HostSelinuxMode> mode() {
    return switch (setenforce) {
      case "Enforcing" -> Optional.of(HostSelinuxMode.ENFORCING);
      case "Permissive" -> Optional.of(HostSelinuxMode.PERMISSIVE);
      default -> Optional.empty();
    };
  }
}
