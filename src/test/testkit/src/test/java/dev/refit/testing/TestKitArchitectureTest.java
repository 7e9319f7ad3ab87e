package dev.refit.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.refit.api.ConditionSet;
import dev.refit.api.Nodes;
import dev.refit.api.Revisions;
import dev.refit.api.Selector;
import dev.refit.api.SelectorRequirement;
import org.junit.jupiter.api.Test;

/**
 * The test kit judges Refit from outside: its oracles (the PDB arithmetic, the safety invariants)
 * and its simulated cluster read the Kubernetes objects themselves. The API's model and constants
 * are shared, but not the helpers the operator decides with, so a mistake in them cannot hide in
 * the code that checks the operator.
 */
class TestKitArchitectureTest {

  @Test
  void theTestKitDoesNotJudgeWithTheHelpersTheOperatorDecidesWith() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .belongToAnyOf(
            Nodes.class,
            Selector.class,
            SelectorRequirement.class,
            ConditionSet.class,
            Revisions.class)
        .because("an oracle that borrows the code it checks cannot catch that code's mistakes")
        .check(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.refit.testing"));
  }
}
