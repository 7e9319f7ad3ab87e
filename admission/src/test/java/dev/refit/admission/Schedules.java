package dev.refit.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * The spec's schedule: weekly windows in any time zone (daylight-saving ones, odd offsets, a zone
 * the JVM does not know), and blackouts with RFC 3339 timestamps from the year 1000 to 9899, leap
 * days, fractions and offsets up to ±18:00.
 */
final class Schedules {

  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

  private Schedules() {}

  static Arbitrary<JsonNode> schedule() {
    Map<String, Arbitrary<JsonNode>> fields = new LinkedHashMap<>();
    fields.put("windows", PolicyManifests.optional(PolicyManifests.objects(window(), 0, 16)));
    fields.put("blackouts", PolicyManifests.optional(PolicyManifests.objects(blackout(), 0, 32)));
    return PolicyManifests.object(fields);
  }

  static Arbitrary<JsonNode> window() {
    Arbitrary<String> day =
        Arbitraries.of(
            "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday");
    Arbitrary<JsonNode> days =
        Values.orRarely(
            Arbitraries.frequencyOf(
                    Tuple.of(4, day.list().uniqueElements().ofMinSize(1).ofMaxSize(3)),
                    Tuple.of(1, day.list().uniqueElements().ofSize(7)))
                .map(Schedules::array),
            Arbitraries.<List<String>>of(List.of(), List.of("Monday", "Monday"))
                .map(Schedules::array));
    Arbitrary<String> start =
        Values.orRarely(
            Arbitraries.frequencyOf(
                Tuple.of(
                    10,
                    Combinators.combine(
                            Arbitraries.integers().between(0, 23),
                            Arbitraries.integers().between(0, 59))
                        .as((h, m) -> String.format("%02d:%02d", h, m))),
                Tuple.of(3, Arbitraries.of("00:00", "23:59", "02:30"))),
            Arbitraries.of("24:00", "7:00", "12:60"));
    Arbitrary<String> duration =
        Values.orRarely(
            Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.of("90m", "4h", "1h30m", "30m")),
                Tuple.of(
                    5,
                    Combinators.combine(
                            Arbitraries.integers().between(0, 167),
                            Arbitraries.integers().between(1, 59))
                        .as((h, m) -> (h == 0 ? "" : h + "h") + m + "m")),
                Tuple.of(4, Arbitraries.of("1m", "168h", "10080m", "167h60m", "000h00001m"))),
            Arbitraries.of("0m", "169h", "168h1m", "", "1d", "99999m"));
    Arbitrary<String> zone =
        Values.orRarely(
            Arbitraries.frequencyOf(
                Tuple.of(
                    10,
                    Arbitraries.of(
                        "UTC",
                        "Europe/Berlin",
                        "America/New_York",
                        "Asia/Kathmandu",
                        "Australia/Lord_Howe",
                        "Pacific/Chatham",
                        "Pacific/Kiritimati",
                        "Etc/GMT+12",
                        "Etc/GMT-14",
                        "America/St_Johns",
                        "GMT0",
                        "EST5EDT")),
                // names the pattern admits but no time-zone database knows
                Tuple.of(2, Arbitraries.of("Mars/Olympus_Mons", "Europe/Berlln", "GMT+99")),
                Tuple.of(1, Values.fill("Z", 'z', 64))),
            Arbitraries.of("europe berlin", "+01:00", Values.fillTo("Z", 'z', 65)));
    Map<String, Arbitrary<JsonNode>> fields = new LinkedHashMap<>();
    fields.put("days", days);
    fields.put("start", PolicyManifests.text(start));
    fields.put("duration", PolicyManifests.text(duration));
    fields.put("timeZone", PolicyManifests.optional(PolicyManifests.text(zone)));
    return PolicyManifests.object(fields);
  }

  static Arbitrary<JsonNode> blackout() {
    Arbitrary<Integer> year =
        Arbitraries.frequencyOf(
            Tuple.of(6, Arbitraries.integers().between(2024, 2032)),
            Tuple.of(2, Arbitraries.integers().between(1000, 9899)),
            Tuple.of(1, Arbitraries.of(1000, 2000, 2028, 9899)));
    Arbitrary<LocalDateTime> moment =
        Combinators.combine(
                year,
                Arbitraries.integers().between(1, 12),
                Arbitraries.integers().between(1, 31),
                Arbitraries.integers().between(0, 86399),
                Arbitraries.integers().between(0, 999_999_999))
            .as(
                (y, m, d, s, n) ->
                    LocalDateTime.of(y, m, Math.min(d, YearMonth.of(y, m).lengthOfMonth()), 0, 0)
                        .plusSeconds(s)
                        .withNano(n % 7 == 0 ? n : 0));
    Arbitrary<ZoneOffset> offset =
        Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.just(ZoneOffset.UTC)),
            Tuple.of(
                2,
                Arbitraries.integers()
                    .between(-18 * 60, 18 * 60)
                    .map(m -> ZoneOffset.ofTotalSeconds(m * 60))),
            Tuple.of(1, Arbitraries.of(ZoneOffset.MAX, ZoneOffset.MIN)));
    Arbitrary<Long> length =
        Arbitraries.frequencyOf(
            Tuple.of(250, Arbitraries.longs().between(1, 60L * 86400)),
            Tuple.of(50, Arbitraries.longs().between(1, 400L * 365 * 86400)),
            Tuple.of(1, Arbitraries.of(0L, -3600L)));
    return Combinators.combine(
            moment,
            offset,
            offset,
            length,
            PolicyManifests.optional(PolicyManifests.text(Values.freeText(0, 256))))
        .as(
            (start, startOffset, endOffset, seconds, reason) -> {
              var from = start.atOffset(startOffset);
              var to = from.plusSeconds(seconds).withOffsetSameInstant(endOffset);
              var blackout = PolicyManifests.JSON.objectNode();
              blackout.put("start", rfc3339(from.toLocalDateTime(), startOffset));
              blackout.put("end", rfc3339(to.toLocalDateTime(), endOffset));
              if (reason != null) {
                blackout.set("reason", reason);
              }
              return (JsonNode) blackout;
            });
  }

  private static JsonNode array(List<String> values) {
    var array = PolicyManifests.JSON.arrayNode();
    values.forEach(array::add);
    return array;
  }

  /** Seconds always, a fraction of 1–9 digits when there is one, Z or the offset. */
  static String rfc3339(LocalDateTime t, ZoneOffset offset) {
    String fraction = "";
    if (t.getNano() != 0) {
      fraction = String.format(".%09d", t.getNano()).replaceAll("0+$", "");
    }
    return String.format("%s%s%s", SECONDS.format(t), fraction, offset.getId());
  }
}
