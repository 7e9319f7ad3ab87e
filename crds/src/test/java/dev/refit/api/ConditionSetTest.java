package dev.refit.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionSetTest {

  private static final Instant T1 = Instant.parse("2026-11-26T10:00:00Z");
  private static final Instant T2 = Instant.parse("2026-11-26T11:00:00Z");

  @Test
  void theTransitionTimeStaysWhileTheStatusStaysEvenIfTheMessageChanges() {
    List<Condition> first = new ConditionSet(null, 1L, T1).set("Ready", false, "A", "one").build();
    List<Condition> second =
        new ConditionSet(first, 2L, T2).set("Ready", false, "B", "two").build();

    assertThat(second.get(0).getLastTransitionTime()).isEqualTo("2026-11-26T10:00:00Z");
    assertThat(second.get(0).getReason()).isEqualTo("B");
    assertThat(second.get(0).getObservedGeneration()).isEqualTo(2L);
  }

  @Test
  void theTransitionTimeMovesWhenTheStatusFlips() {
    List<Condition> first = new ConditionSet(null, 1L, T1).set("Ready", false, "A", "one").build();
    List<Condition> second = new ConditionSet(first, 1L, T2).set("Ready", true, "A", "one").build();

    assertThat(second.get(0).getLastTransitionTime()).isEqualTo("2026-11-26T11:00:00Z");
  }

  @Test
  void aMessageLongerThanTheSchemaAdmitsIsCutToTheLimitInCharactersNotUtf16Units() {
    String message = "\uD83D\uDE80".repeat(Condition.MAX_MESSAGE + 5);

    String kept =
        new ConditionSet(null, 1L, T1)
            .set("Ready", false, "A", message)
            .build()
            .get(0)
            .getMessage();

    assertThat(kept.codePointCount(0, kept.length())).isEqualTo(Condition.MAX_MESSAGE);
    assertThat(kept).endsWith("\uD83D\uDE80\u2026");
  }
}
