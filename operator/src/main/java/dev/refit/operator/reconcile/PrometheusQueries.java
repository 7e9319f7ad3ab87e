package dev.refit.operator.reconcile;

import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.PrometheusCheck;
import dev.refit.operator.plan.HealthQuery;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Asks Prometheus the instant queries of the policies' {@code healthCheck.prometheus}, off the
 * reconcile threads, and keeps each policy's last answer; an answer wakes its policy. Prometheus
 * has nothing to watch, so a query is asked only when a round needs an answer (a node would start
 * and the last answer is not recent), at most once at a time per policy.
 */
final class PrometheusQueries {

  /**
   * The last answer to one policy's check, with what was asked: an answer to another URL or query
   * is not an answer to the policy's current check.
   */
  private record Kept(String asked, HealthQuery.Answer answer) {}

  private final HttpClient http;
  private final Clock clock;
  private final Duration interval;
  private final Consumer<OSUpdatePolicy> wake;
  private final Map<String, Kept> answers = new ConcurrentHashMap<>();
  private final Map<String, String> asking = new ConcurrentHashMap<>();

  PrometheusQueries(Clock clock, Duration interval, Consumer<OSUpdatePolicy> wake) {
    this.clock = clock;
    this.interval = interval;
    this.wake = wake;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  /** The policy's check as a round sees it, or null when the policy has none. */
  HealthQuery check(OSUpdatePolicy policy) {
    PrometheusCheck check = checkOf(policy);
    if (check == null) {
      return null;
    }
    Kept kept = answers.get(policy.getMetadata().getUid());
    return new HealthQuery(
        kept != null && kept.asked().equals(asked(check)) ? kept.answer() : null, interval);
  }

  /** Asks the policy's query now unless it is being asked; its answer wakes the policy. */
  void ask(OSUpdatePolicy policy) {
    PrometheusCheck check = checkOf(policy);
    String uid = policy.getMetadata().getUid();
    String asked = check == null ? null : asked(check);
    if (asked == null || asking.putIfAbsent(uid, asked) != null) {
      return;
    }
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(URI.create(asked))
              .timeout(Duration.ofSeconds(check.getTimeoutSeconds()))
              .header("Accept", "application/json")
              .GET()
              .build();
    } catch (IllegalArgumentException e) {
      answered(policy, uid, asked, PrometheusAnswers.noAnswer("invalid URL: " + e.getMessage()));
      return;
    }
    http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
        .handle(
            (response, error) -> {
              PrometheusAnswers.Reading reading =
                  error == null
                      ? PrometheusAnswers.read(response.statusCode(), response.body())
                      : PrometheusAnswers.noAnswer(why(error, check));
              answered(policy, uid, asked, reading);
              return null;
            });
  }

  /** Forgets a deleted policy's answers. */
  void forget(OSUpdatePolicy policy) {
    answers.remove(policy.getMetadata().getUid());
  }

  private void answered(
      OSUpdatePolicy policy, String uid, String asked, PrometheusAnswers.Reading reading) {
    answers.put(
        uid,
        new Kept(
            asked, new HealthQuery.Answer(clock.instant(), reading.verdict(), reading.detail())));
    asking.remove(uid);
    wake.accept(policy);
  }

  private static String why(Throwable error, PrometheusCheck check) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof HttpTimeoutException) {
      return "no answer within "
          + check.getTimeoutSeconds()
          + " s (healthCheck.prometheus.timeoutSeconds)";
    }
    String message = cause.getMessage();
    return "cannot reach "
        + check.getUrl()
        + ": "
        + cause.getClass().getSimpleName()
        + (message == null || message.isBlank() ? "" : " " + message);
  }

  private static PrometheusCheck checkOf(OSUpdatePolicy policy) {
    return policy.getSpec() == null ? null : policy.getSpec().getHealthCheck().getPrometheus();
  }

  /** The query's address: the API's instant-query endpoint under the configured base URL. */
  static String asked(PrometheusCheck check) {
    String base = check.getUrl().endsWith("/") ? check.getUrl() : check.getUrl() + "/";
    return base
        + "api/v1/query?query="
        + URLEncoder.encode(check.getQuery(), StandardCharsets.UTF_8)
        + "&timeout="
        + check.getTimeoutSeconds()
        + "s";
  }
}
