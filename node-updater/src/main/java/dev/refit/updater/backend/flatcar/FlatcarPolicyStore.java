package dev.refit.updater.backend.flatcar;

import dev.refit.updater.backend.CommandBackend;
import dev.refit.updater.host.HostException;
import dev.refit.updater.host.HostOutputException;
import dev.refit.updater.selinux.LiveChanges;
import dev.refit.updater.selinux.SelinuxConfigParser;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Whether SELinux booleans and modules can be changed on a Flatcar host. Flatcar ships its policy
 * store on the read-only /usr: /var/lib/selinux is a symlink to /usr/lib/selinux/policy (recreated
 * by systemd-tmpfiles at every boot) and /etc/selinux/&lt;type&gt; one to
 * /usr/lib/selinux/&lt;type&gt;. {@code setsebool -P} and {@code semodule} rebuild the store and
 * write the policy there, so they fail with "Read-only file system". Flatcar's SELinux guide makes
 * both writable by copying them out of /usr; Refit does not do that on its own, because the copies
 * no longer follow the policy that Flatcar updates ship, and an updater must not decide that
 * quietly. A host where a person made the copies is written to as any other.
 */
final class FlatcarPolicyStore {

  /** libselinux's policy when /etc/selinux/config names none. */
  static final String DEFAULT_TYPE = "targeted";

  private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

  private final CommandBackend host;

  FlatcarPolicyStore(CommandBackend host) {
    this.host = host;
  }

  /** Where the store of this policy and its compiled policy really are. */
  static List<String> resolve(String type) {
    return List.of("readlink", "-f", "/var/lib/selinux/" + type, "/etc/selinux/" + type);
  }

  /** Fails, saying what to do, when the changes need a store that is on /usr. */
  void requireWritableFor(LiveChanges changes) throws HostException {
    if (changes.none()) {
      return;
    }
    String type;
    try {
      type =
          SelinuxConfigParser.parse(
                  host.run(SelinuxConfigParser.COMMAND, CommandBackend.STATUS_TIMEOUT).stdout())
              .policyType()
              .orElse(DEFAULT_TYPE);
      if (!TYPE.matcher(type).matches()) {
        throw new HostOutputException(
            "/etc/selinux/config", "a policy name after SELINUXTYPE=", "SELINUXTYPE=" + type);
      }
    } catch (HostOutputException e) {
      throw HostException.of(e);
    }
    List<String> asked = resolve(type).subList(2, 4);
    String output = host.run(resolve(type), CommandBackend.STATUS_TIMEOUT).stdout();
    List<String> resolved = output.strip().lines().toList();
    if (resolved.size() != asked.size()) {
      throw HostException.of(
          new HostOutputException(String.join(" ", resolve(type)), "one path per line", output));
    }
    List<String> onUsr = new ArrayList<>();
    for (int i = 0; i < asked.size(); i++) {
      if (resolved.get(i).equals("/usr") || resolved.get(i).startsWith("/usr/")) {
        onUsr.add(asked.get(i) + " -> " + resolved.get(i));
      }
    }
    if (onUsr.isEmpty()) {
      return;
    }
    throw new HostException(
        FlatcarBackend.SELINUX_STORE_READ_ONLY,
        "this Flatcar host cannot take the policy's SELinux booleans and modules ("
            + describe(changes)
            + "): its policy store is on the read-only /usr ("
            + String.join(", ", onUsr)
            + "), so setsebool -P and semodule would fail. Refit does not copy the store out of"
            + " /usr on its own: the copy no longer follows the policy Flatcar updates ship. Either"
            + " leave booleans and modules out of the policy for Flatcar nodes (the mode still"
            + " applies), or make the store writable once per host as Flatcar's SELinux guide"
            + " does, accepting that the host then keeps its copy across updates: rm"
            + " /var/lib/selinux && cp -a /usr/lib/selinux/policy /var/lib/selinux && rm"
            + " /etc/selinux/"
            + type
            + " && cp -a /usr/lib/selinux/"
            + type
            + " /etc/selinux");
  }

  private static String describe(LiveChanges changes) {
    List<String> parts = new ArrayList<>();
    if (!changes.booleans().isEmpty()) {
      parts.add("setsebool " + String.join(" ", changes.booleans()));
    }
    changes.installs().forEach(m -> parts.add("install " + m.name() + " at " + m.priority()));
    changes.removals().forEach(m -> parts.add("remove " + m.name() + " at " + m.priority()));
    return String.join(", ", parts);
  }
}
