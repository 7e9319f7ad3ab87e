package dev.refit.sim;

import dev.refit.admission.Admission;
import dev.refit.sim.YamlFuzz.Damaged;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Scenario files, the documented examples and the test scenarios, with a field dropped or retyped,
 * an unknown field, or broken YAML: each is read and its policies admitted, or rejected with a
 * {@link ScenarioException} naming the file and the field. No other exception escapes.
 */
class ScenarioFuzzTest {

  private static final Admission ADMISSION = Admission.ofShippedCrds();

  @Property(tries = 400)
  void aDamagedScenarioIsReadOrRejectedNamingTheField(@ForAll("scenarios") Damaged file)
      throws IOException {
    YamlFuzz.assertReadOrExplained(
        (text, origin) ->
            Scenario.read(new ByteArrayInputStream(text), origin).admitted(ADMISSION, origin),
        file);
  }

  @Provide
  Arbitrary<Damaged> scenarios() {
    List<String> texts = new ArrayList<>();
    texts.addAll(YamlFuzz.files(Path.of("..", "docs", "examples", "scenarios"), name -> true));
    texts.addAll(
        YamlFuzz.files(
            Path.of("src", "test", "resources", "sim"),
            name -> !name.matches("snapshot(-blocking)?\\.yaml")));
    return YamlFuzz.damaged(texts);
  }
}
