package dev.refit.api;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.fabric8.kubernetes.client.CustomResource;
import org.junit.jupiter.api.Test;

/**
 * {@code dev.refit.api} is the API both programs share: the model, its validation and a few
 * helpers. It depends on nothing but the JDK, Jackson and Fabric8's model and annotations, so the
 * operator and the agent can both use it and it can never reach into either.
 */
class ApiArchitectureTest {

  @Test
  void theApiDependsOnTheModelOnly() {
    JavaClasses api =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.refit.api");
    classes()
        .should()
        .onlyDependOnClassesThat(
            resideInAnyPackage(
                    "java..",
                    "dev.refit.api..",
                    "com.fasterxml.jackson..",
                    "io.fabric8.kubernetes.api.model..",
                    "io.fabric8.kubernetes.model.annotation..",
                    "io.fabric8.generator.annotation..",
                    "io.fabric8.crd.generator.annotation..")
                // the base class of every custom resource lives in the client's API jar
                .or(belongToAnyOf(CustomResource.class)))
        .because(
            "the API is shared by the operator and the agent and must not pull in either, nor a"
                + " client, a framework or I/O")
        .check(api);
  }
}
