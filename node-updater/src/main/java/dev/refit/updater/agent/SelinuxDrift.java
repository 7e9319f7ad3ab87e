package dev.refit.updater.agent;

import dev.refit.api.SELinuxBoolean;
import dev.refit.api.SELinuxModule;
import dev.refit.api.SELinuxPolicy;
import dev.refit.updater.selinux.GetenforceParser;
import dev.refit.updater.selinux.HostSelinuxMode;
import dev.refit.updater.selinux.SelinuxFacts;
import dev.refit.updater.selinux.SelinuxFacts.InstalledModule;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How the host's SELinux differs from what the work order declares, in sentences a person reads on
 * the OSNode ({@code status.selinuxDrift}): "httpd_can_network_connect is off, declared on". Before
 * an Apply they name the change still to make; on a host that had the declared state, a change made
 * by hand. Pure, and the same rules as {@link TargetMatch}: the list is empty exactly when the host
 * has the declared SELinux state in force (for module sources that are known).
 */
public final class SelinuxDrift {

  /** At most this many entries; the last one counts the rest when there are more. */
  public static final int MAX_ENTRIES = 16;

  private SelinuxDrift() {}

  /** The differences, at most {@link #MAX_ENTRIES}; empty when there are none. */
  public static List<String> describe(Desired desired, HostFacts facts) {
    List<String> all = differences(desired, facts);
    if (all.size() <= MAX_ENTRIES) {
      return all;
    }
    List<String> shown = new ArrayList<>(all.subList(0, MAX_ENTRIES - 1));
    shown.add("and " + (all.size() - shown.size()) + " more differences");
    return List.copyOf(shown);
  }

  /** Every difference: the mode, then booleans and modules in the policy's order, then extras. */
  static List<String> differences(Desired desired, HostFacts facts) {
    SELinuxPolicy policy = desired.selinux();
    if (policy == null) {
      return List.of();
    }
    if (TargetMatch.modeNeedsBoot(desired, facts)) {
      return List.of(
          "SELinux is disabled in this boot, declared "
              + policy.getMode()
              + " (only a reboot turns it on)");
    }
    SelinuxFacts selinux = facts.selinux();
    if (!selinux.configurable()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    if (policy.getMode() != null) {
      String declared = policy.getMode().name();
      String running = word(selinux.mode());
      if (!running.equals(declared)) {
        out.add("running " + running + ", declared " + declared);
      }
      String atBoot = word(selinux.configuredMode());
      if (!atBoot.equals(declared)) {
        out.add("configured to boot " + atBoot + " (/etc/selinux/config), declared " + declared);
      }
    }
    for (SELinuxBoolean b : policy.getBooleans()) {
      Boolean value = selinux.booleans().get(b.getName());
      if (value == null) {
        out.add(
            "boolean "
                + b.getName()
                + " is not defined by the host's policy, declared "
                + onOff(b.getValue()));
      } else if (!value.equals(b.getValue())) {
        out.add(b.getName() + " is " + onOff(value) + ", declared " + onOff(b.getValue()));
      }
    }
    for (SELinuxModule m : policy.getModules()) {
      module(m, selinux.modules().get(m.getName()), desired.moduleDigest(m)).ifPresent(out::add);
    }
    for (InstalledModule extra : selinux.modules().values()) {
      if (policy.getModules().stream().noneMatch(m -> m.getName().equals(extra.name()))) {
        out.add(
            "module "
                + extra.name()
                + " is installed at priority "
                + extra.priority()
                + ", no longer declared");
      }
    }
    for (InstalledModule old : selinux.superseded()) {
      out.add(
          "module "
              + old.name()
              + " has an older copy at priority "
              + old.priority()
              + " that would be in force again if the newer one went");
    }
    return List.copyOf(out);
  }

  private static Optional<String> module(
      SELinuxModule declared, InstalledModule installed, Optional<String> digest) {
    String name = "module " + declared.getName();
    if (installed == null) {
      return Optional.of(
          name + " is not installed, declared at priority " + declared.getPriority());
    }
    if (installed.priority() != declared.getPriority()) {
      return Optional.of(
          name
              + " is installed at priority "
              + installed.priority()
              + ", declared at priority "
              + declared.getPriority());
    }
    if (digest.isEmpty()) {
      return Optional.of(name + ": its declared CIL source could not be read to compare");
    }
    if (!digest.get().equals(installed.digest())) {
      return Optional.of(
          name
              + " is installed with other content (CIL digest "
              + installed.digest()
              + ", declared "
              + digest.get()
              + ")");
    }
    return Optional.empty();
  }

  private static String word(Optional<HostSelinuxMode> mode) {
    return mode.map(GetenforceParser::word).orElse("in a mode the host did not report");
  }

  private static String onOff(boolean value) {
    return value ? "on" : "off";
  }
}
