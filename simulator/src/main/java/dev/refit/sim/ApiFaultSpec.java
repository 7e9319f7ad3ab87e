package dev.refit.sim;

import dev.refit.testing.ApiFaults;

/**
 * The API faults the operator's requests meet, as fractions of its requests (see {@link
 * ApiFaults}): server errors (500/503), throttling (429 with Retry-After), the server's own
 * timeouts (504, held back {@code timeoutDelaySeconds}), conflicts on writes (409), watches closed
 * mid-stream, and 410 Gone on re-watch. Retried faults come in streaks, so some outlast the
 * client's retries and reach the operator's code.
 *
 * @param serverErrors fraction of requests answered 500 or 503
 * @param throttles fraction answered 429
 * @param timeouts fraction answered 504 after the delay
 * @param conflicts fraction of writes answered 409
 * @param watchCloses fraction of requests after which one of the operator's watches is closed
 * @param gone fraction of re-watches answered 410
 * @param timeoutDelaySeconds how long a 504 is held back (default 1)
 */
public record ApiFaultSpec(
    Double serverErrors,
    Double throttles,
    Double timeouts,
    Double conflicts,
    Double watchCloses,
    Double gone,
    Double timeoutDelaySeconds) {

  /** The operator's client retries a 5xx or 429 this many times (its application.properties). */
  static final int OPERATOR_RETRIES = 3;

  ApiFaults.Mix mix() {
    return new ApiFaults.Mix(
        orZero(serverErrors),
        orZero(throttles),
        orZero(timeouts),
        orZero(conflicts),
        orZero(watchCloses),
        orZero(gone),
        OPERATOR_RETRIES,
        Math.round((timeoutDelaySeconds == null ? 1.0 : timeoutDelaySeconds) * 1000));
  }

  /** Server errors only, as the older {@code apiErrorRate} fault gives them. */
  static ApiFaultSpec serverErrorsOnly(double rate) {
    return new ApiFaultSpec(rate, null, null, null, null, null, null);
  }

  private static double orZero(Double value) {
    return value == null ? 0 : value;
  }
}
