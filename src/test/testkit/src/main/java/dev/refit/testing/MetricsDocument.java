package dev.refit.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Metric names and their tags as a program exports them (a Prometheus text scrape) and as
 * docs/metrics.md lists them (a table per program), so tests can hold the two equal.
 */
public final class MetricsDocument {

  private static final Pattern TYPE = Pattern.compile("# TYPE (\\S+) (\\S+)");
  private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? .*");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");
  private static final Pattern CODE = Pattern.compile("`([^`]+)`");

  private MetricsDocument() {}

  /**
   * The families of a Prometheus text scrape whose names start with {@code prefix}, each with its
   * label names. A histogram's or summary's series (_bucket, _count, _sum) belong to its family;
   * {@code le} and {@code quantile} are not tags.
   */
  public static Map<String, Set<String>> scraped(String scrape, String prefix) {
    Map<String, Set<String>> families = new TreeMap<>();
    for (String line : scrape.split("\n")) {
      Matcher type = TYPE.matcher(line);
      if (type.matches() && type.group(1).startsWith(prefix)) {
        families.put(type.group(1), new TreeSet<>());
        continue;
      }
      Matcher sample = SAMPLE.matcher(line);
      if (line.startsWith("#") || !sample.matches() || !sample.group(1).startsWith(prefix)) {
        continue;
      }
      String family = family(sample.group(1), families.keySet());
      Matcher label = LABEL.matcher(sample.group(3) == null ? "" : sample.group(3));
      while (label.find()) {
        if (!label.group(1).equals("le") && !label.group(1).equals("quantile")) {
          families.get(family).add(label.group(1));
        }
      }
    }
    return families;
  }

  private static String family(String series, Set<String> declared) {
    if (declared.contains(series)) {
      return series;
    }
    for (String suffix : List.of("_bucket", "_count", "_sum")) {
      String base = series.substring(0, Math.max(0, series.length() - suffix.length()));
      if (series.endsWith(suffix) && declared.contains(base)) {
        return base;
      }
    }
    throw new IllegalArgumentException("a series of no declared family: " + series);
  }

  /**
   * The rows of the tables under {@code heading} (a level-2 heading, up to the next one) whose
   * first cell is a metric name in backticks: name to the tags in backticks in the third cell.
   */
  public static Map<String, Set<String>> documented(Path markdown, String heading)
      throws IOException {
    Map<String, Set<String>> rows = new TreeMap<>();
    boolean inSection = false;
    for (String line : Files.readString(markdown).split("\n")) {
      if (line.startsWith("## ")) {
        inSection = line.strip().equals(heading);
        continue;
      }
      if (!inSection || !line.startsWith("| `")) {
        continue;
      }
      String[] cells = line.split("\\|");
      Matcher name = CODE.matcher(cells[1]);
      if (!name.find()) {
        throw new IllegalArgumentException("no metric name in " + line);
      }
      Set<String> tags = new TreeSet<>();
      Matcher tag = CODE.matcher(cells[3]);
      while (tag.find()) {
        tags.add(tag.group(1));
      }
      rows.put(name.group(1), tags);
    }
    if (rows.isEmpty()) {
      throw new IllegalArgumentException(
          "no metrics documented under " + heading + " in " + markdown);
    }
    return rows;
  }
}
