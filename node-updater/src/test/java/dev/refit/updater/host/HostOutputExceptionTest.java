package dev.refit.updater.host;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostOutputExceptionTest {

  @Test
  void theMessageNamesTheCommandWhatWasExpectedAndQuotesTheOutput() {
    HostOutputException e = new HostOutputException("getenforce", "Enforcing", "bogus\n");

    assertThat(e).hasMessage("getenforce: expected Enforcing, got \"bogus\"");
    assertThat(e.command()).isEqualTo("getenforce");
    assertThat(e.expected()).isEqualTo("Enforcing");
  }

  @Test
  void emptyOutputIsSaidInWords() {
    assertThat(HostOutputException.excerpt("")).isEqualTo("(empty output)");
    assertThat(HostOutputException.excerpt(null)).isEqualTo("(empty output)");
    assertThat(HostOutputException.excerpt(" \n ")).isEqualTo("(empty output)");
  }

  @Test
  void longOutputIsCutAndNewlinesAreMadeVisible() {
    String excerpt = HostOutputException.excerpt("line one\nline two\t" + "x".repeat(500));

    assertThat(excerpt).startsWith("\"line one\\nline two\\tx").endsWith("... (518 chars)");
    assertThat(excerpt.length()).isLessThan(200);
  }
}
