package dev.refit.sim;

import dev.refit.sim.YamlFuzz.Damaged;
import java.io.IOException;
import java.nio.file.Path;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fleet snapshots ({@code kubectl get nodes,pods,pdb -A -o yaml}) with a field dropped or retyped,
 * an unknown field, or broken YAML: each is read and turned into a scenario's fleet, or rejected
 * with a {@link ScenarioException} naming the file and the item. No other exception escapes.
 */
class FleetSnapshotFuzzTest {

  private static final Scenario NO_SCENARIO = new Scenario(null, null, null, null, null, null);

  @Property(tries = 300)
  void aDamagedSnapshotIsReadOrRejectedNamingTheItem(@ForAll("snapshots") Damaged file)
      throws IOException {
    YamlFuzz.assertReadOrExplained(
        (text, origin) -> FleetSnapshot.read(text, origin).applyTo(NO_SCENARIO, true), file);
  }

  @Provide
  Arbitrary<Damaged> snapshots() {
    return YamlFuzz.damaged(
        YamlFuzz.files(
            Path.of("src", "test", "resources", "sim"),
            name -> name.matches("snapshot(-blocking)?\\.yaml")));
  }
}
