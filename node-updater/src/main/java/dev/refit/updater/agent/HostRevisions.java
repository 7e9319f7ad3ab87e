package dev.refit.updater.agent;

import dev.refit.api.HostDeployment;
import dev.refit.api.OSTarget;
import dev.refit.api.Revisions;
import java.util.Optional;

/**
 * The revisions the agent reports. {@code currentRevision} equals the spec's {@code
 * desiredRevision} exactly when the host runs the target OS with the SELinux policy in force;
 * otherwise it is the hash of what the host runs, which can never be mistaken for the target.
 */
public final class HostRevisions {

  private HostRevisions() {}

  /** Whether the host runs the target with its SELinux policy in force. */
  public static boolean currentIsTarget(Desired desired, HostFacts facts) {
    return desired.hasTarget()
        && TargetMatch.os(Optional.of(facts.booted()), desired.os(), facts.family())
        && TargetMatch.selinuxApplied(desired, facts.selinux())
        && !TargetMatch.modeNeedsBoot(desired, facts);
  }

  /**
   * Whether the target is ready for the next step: its OS staged, or already booted when only the
   * SELinux state differs (a change to apply live, or one made by hand on the host since: the same
   * apply puts it back); and, where SELinux is off in this boot, the policy's mode configured for
   * the next one.
   */
  public static boolean stagedIsTarget(Desired desired, HostFacts facts) {
    if (!desired.hasTarget() || currentIsTarget(desired, facts)) {
      return false;
    }
    boolean os =
        TargetMatch.os(facts.staged(), desired.os(), facts.family())
            || TargetMatch.os(Optional.of(facts.booted()), desired.os(), facts.family());
    return os && TargetMatch.bootModeConfigured(desired, facts);
  }

  /** The revision the host runs now. */
  public static String current(Desired desired, HostFacts facts) {
    if (currentIsTarget(desired, facts)) {
      return desired.revision().orElseThrow();
    }
    return describe(facts.booted(), desired);
  }

  /** The revision staged for the next boot, or null when nothing is staged. */
  public static String staged(Desired desired, HostFacts facts) {
    if (stagedIsTarget(desired, facts)) {
      return desired.revision().orElseThrow();
    }
    return facts.staged().map(d -> describe(d, desired)).orElse(null);
  }

  /** The hash of a deployment as if it were a target without SELinux policy. */
  static String describe(HostDeployment d, Desired desired) {
    OSTarget as;
    if (d.getImage() != null && d.getDigest() != null) {
      as = OSTarget.image(repository(d.getImage()) + "@" + d.getDigest());
    } else if (d.getImage() != null) {
      as = OSTarget.image(d.getImage());
    } else if (d.getVersion() != null) {
      as = OSTarget.version(d.getVersion());
    } else if (d.getChecksum() != null) {
      as = OSTarget.version("checksum-" + d.getChecksum());
    } else {
      // Known to be there, not what it is (Flatcar after update_engine restarted).
      as = OSTarget.version("unknown");
    }
    String revision = Revisions.of(as, null);
    // Only a host that does not match could get here; never let it claim the target's revision.
    return desired.revision().map(revision::equals).orElse(false) ? "other-" + revision : revision;
  }

  private static String repository(String image) {
    int at = image.indexOf('@');
    if (at > 0) {
      return image.substring(0, at);
    }
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    return colon > slash ? image.substring(0, colon) : image;
  }
}
