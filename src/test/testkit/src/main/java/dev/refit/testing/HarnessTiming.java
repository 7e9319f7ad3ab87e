package dev.refit.testing;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;

/**
 * How fast simulated time runs in the fakes. Grace periods are given in seconds by the objects
 * themselves and are scaled ({@code N} seconds take {@code N * 1000 * timeScale} ms), so a test can
 * keep realistic manifests and still finish quickly. Reboot phases are given directly in
 * milliseconds because no manifest carries them.
 *
 * @param timeScale factor applied to grace periods: 1.0 is real time, 0.01 is 100 times faster
 * @param rebootDownMillis how long a rebooting node stays down before it reports a new boot ID
 * @param rebootReadyMillis how long after the new boot ID the node turns Ready again
 */
public record HarnessTiming(double timeScale, long rebootDownMillis, long rebootReadyMillis) {

  /**
   * A pod annotation that overrides the scaled grace period: the fake kubelet deletes a terminating
   * pod that carries it after exactly this many milliseconds.
   */
  public static final String TERMINATION_MILLIS_ANNOTATION = "harness.refit.dev/termination-millis";

  /** The default grace period of a pod that declares none, as in the Kubernetes API. */
  static final long DEFAULT_GRACE_SECONDS = 30;

  public HarnessTiming {
    if (timeScale < 0 || rebootDownMillis < 0 || rebootReadyMillis < 0) {
      throw new IllegalArgumentException("timings must not be negative");
    }
  }

  /** Real time: grace periods as declared, a 2 s reboot and 3 s until Ready. */
  public static HarnessTiming realTime() {
    return new HarnessTiming(1.0, 2_000, 3_000);
  }

  /** Timing for unit tests: grace periods 100 times faster, 100 ms down, 100 ms until Ready. */
  public static HarnessTiming fast() {
    return new HarnessTiming(0.01, 100, 100);
  }

  public HarnessTiming withTimeScale(double scale) {
    return new HarnessTiming(scale, rebootDownMillis, rebootReadyMillis);
  }

  public HarnessTiming withRebootDownMillis(long millis) {
    return new HarnessTiming(timeScale, millis, rebootReadyMillis);
  }

  public HarnessTiming withRebootReadyMillis(long millis) {
    return new HarnessTiming(timeScale, rebootDownMillis, millis);
  }

  /** Simulated seconds in wall-clock milliseconds. */
  public long scaledMillis(long seconds) {
    return Math.round(seconds * 1000 * timeScale);
  }

  /**
   * How long the fake kubelet takes to remove a terminating pod: the annotation if present, else
   * the grace period the deletion asked for, else the pod's own, else 30 s; scaled.
   */
  public long terminationMillis(Pod pod) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    String override = annotations == null ? null : annotations.get(TERMINATION_MILLIS_ANNOTATION);
    if (override != null) {
      return Long.parseLong(override.trim());
    }
    Long grace = pod.getMetadata().getDeletionGracePeriodSeconds();
    if (grace == null && pod.getSpec() != null) {
      grace = pod.getSpec().getTerminationGracePeriodSeconds();
    }
    return scaledMillis(grace == null ? DEFAULT_GRACE_SECONDS : grace);
  }
}
