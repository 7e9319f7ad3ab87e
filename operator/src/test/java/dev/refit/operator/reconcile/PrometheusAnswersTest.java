package dev.refit.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.operator.plan.HealthQuery.Verdict;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Prometheus' instant-query answers, read strictly: only an empty vector is healthy. */
class PrometheusAnswersTest {

  @Test
  void anEmptyVectorIsHealthy() {
    var reading =
        PrometheusAnswers.read(
            200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");

    assertThat(reading.verdict()).isEqualTo(Verdict.CLEAR);
  }

  @Test
  void seriesAreUnhealthyAndTheFirstOnesAreNamedAsPrometheusPrintsThem() {
    StringBuilder result = new StringBuilder();
    for (int i = 1; i <= 5; i++) {
      result
          .append(i > 1 ? "," : "")
          .append(
              "{\"metric\":{\"__name__\":\"ALERTS\",\"alertname\":\"NodeDown\",\"instance\":\"n")
          .append(i)
          .append("\"},\"value\":[1733480000.1,\"1\"]}");
    }
    var reading =
        PrometheusAnswers.read(
            200,
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                + result
                + "]}}");

    assertThat(reading.verdict()).isEqualTo(Verdict.SERIES);
    assertThat(reading.detail())
        .isEqualTo(
            "5 series (ALERTS{alertname=\"NodeDown\", instance=\"n1\"},"
                + " ALERTS{alertname=\"NodeDown\", instance=\"n2\"},"
                + " ALERTS{alertname=\"NodeDown\", instance=\"n3\"} and 2 more)");
  }

  @Test
  void aQueryErrorIsAFailedCheckWithPrometheusOwnMessage() {
    var reading =
        PrometheusAnswers.read(
            400,
            "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:7: parse error:"
                + " unexpected end of input\"}");

    assertThat(reading.verdict()).isEqualTo(Verdict.FAILED);
    assertThat(reading.detail())
        .isEqualTo("HTTP 400, bad_data: 1:7: parse error: unexpected end of input");
  }

  @Test
  void aProxyPageIsAFailedCheckThatQuotesWhatCameBack() {
    var reading = PrometheusAnswers.read(502, "<html>\n<body>Bad Gateway</body>\n</html>");

    assertThat(reading.verdict()).isEqualTo(Verdict.FAILED);
    assertThat(reading.detail())
        .isEqualTo(
            "HTTP 502, not a Prometheus API answer: <html> <body>Bad Gateway</body> </html>");
  }

  @Test
  void aScalarIsNotAnAnswerToAnAlertStyleQuery() {
    var reading =
        PrometheusAnswers.read(
            200,
            "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"0\"]}}");

    assertThat(reading.verdict()).isEqualTo(Verdict.FAILED);
    assertThat(reading.detail()).contains("must return an instant vector").contains("\"scalar\"");
  }

  @Test
  void aSuccessBodyUnderAnErrorStatusIsNotTrusted() {
    var reading =
        PrometheusAnswers.read(
            503, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");

    assertThat(reading.verdict()).isEqualTo(Verdict.FAILED);
    assertThat(reading.detail()).startsWith("HTTP 503");
  }

  @Property(tries = 2000)
  void noBodyMakesTheReaderThrowAndOnlyAnEmptyVectorIsHealthy(
      @ForAll String body, @ForAll @IntRange(min = 100, max = 599) int status) {
    var reading = PrometheusAnswers.read(status, body);

    assertThat(reading.detail()).isNotBlank();
    if (reading.verdict() == Verdict.CLEAR) {
      assertThat(body).contains("success").contains("[]");
    }
  }

  @Property(tries = 1000)
  void noJsonShapedBodyMakesTheReaderThrow(
      @ForAll("answers") String body, @ForAll @IntRange(min = 100, max = 599) int status) {
    assertThat(PrometheusAnswers.read(status, body).detail()).isNotBlank();
  }

  @Provide
  Arbitrary<String> answers() {
    var status = Arbitraries.of("success", "error", "", "warning");
    var type = Arbitraries.of("vector", "matrix", "scalar", "string", "", "x");
    var result =
        Arbitraries.of(
            "[]", "[{}]", "[{\"metric\":{}}]", "[{\"metric\":{\"a\":1}}]", "{}", "null", "1");
    return Combinators.combine(status, type, result)
        .as(
            (s, t, r) ->
                "{\"status\":\""
                    + s
                    + "\",\"data\":{\"resultType\":\""
                    + t
                    + "\",\"result\":"
                    + r
                    + "}}");
  }
}
