package dev.refit.updater;

import static dev.refit.updater.HostOutputFuzz.assertReadOrExplained;

import dev.refit.updater.HostOutputFuzz.Parser;
import dev.refit.updater.backend.bootc.BootcStatusParser;
import dev.refit.updater.backend.bottlerocket.BottlerocketSignpost;
import dev.refit.updater.backend.bottlerocket.BottlerocketStatusParser;
import dev.refit.updater.backend.flatcar.UpdateEngineStatusParser;
import dev.refit.updater.backend.rpmostree.OstreeImageReference;
import dev.refit.updater.backend.rpmostree.RpmOstreeStatusParser;
import dev.refit.updater.host.OsReleaseParser;
import dev.refit.updater.selinux.GetenforceParser;
import dev.refit.updater.selinux.GetseboolParser;
import dev.refit.updater.selinux.SelinuxConfigParser;
import dev.refit.updater.selinux.SemoduleParser;
import dev.refit.updater.selinux.SestatusParser;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/**
 * Every parser of host output, fed its tool's recorded output damaged (cut short, lines lost or
 * repeated, JSON fields dropped or retyped, huge numbers, control characters) or replaced by random
 * text: it reads it, or rejects it with a {@code HostOutputException} naming the command and what
 * it expected. No other exception escapes.
 */
class HostOutputParsersFuzzTest {

  /** A parser, the command its errors name, and the fixtures its tool's output starts from. */
  record Case(String command, Parser parser, List<String> fixturePrefixes) {
    @Override
    public String toString() {
      return command;
    }
  }

  private static final List<Case> CASES =
      List.of(
          new Case(
              "rpm-ostree status --json",
              RpmOstreeStatusParser::parse,
              List.of("rpm-ostree-status-")),
          new Case("bootc status", BootcStatusParser::parse, List.of("bootc-status-")),
          new Case(
              "apiclient update check",
              BottlerocketStatusParser::parse,
              List.of(
                  "bottlerocket-update-check-",
                  "bottlerocket-updates-status-",
                  "bottlerocket-raw-updates-")),
          new Case("signpost status", BottlerocketSignpost::parse, List.of("signpost-status-")),
          new Case(
              "update_engine_client -status",
              UpdateEngineStatusParser::parse,
              List.of("update-engine-client-")),
          new Case("getenforce", GetenforceParser::parse, List.of("getenforce-")),
          new Case("getsebool -a", GetseboolParser::parse, List.of("getsebool-")),
          new Case("semodule -l", SemoduleParser::parseList, List.of("semodule-")),
          new Case("semodule --list-modules=full", SemoduleParser::parseFull, List.of("semodule-")),
          new Case("sestatus", SestatusParser::parse, List.of("sestatus-")),
          new Case("/etc/selinux/config", SelinuxConfigParser::parse, List.of("selinux-config-")),
          new Case("/etc/os-release", OsReleaseParser::parse, List.of("os-release-")));

  @Property(tries = 3000)
  void damagedOutputIsReadOrRejectedNamingTheCommand(@ForAll("outputs") Tuple2<Case, String> run) {
    assertReadOrExplained(run.get1().command(), run.get1().parser(), run.get2());
  }

  @Property(tries = 300)
  void anyImageReferenceIsReadOrRejectedNamingTheCommand(@ForAll("references") String reference) {
    assertReadOrExplained(
        "rpm-ostree status", r -> OstreeImageReference.parse(r, "rpm-ostree status"), reference);
  }

  @Provide
  Arbitrary<Tuple2<Case, String>> outputs() {
    return Arbitraries.oneOf(
        CASES.stream()
            .map(
                c ->
                    HostOutputFuzz.outputs(c.fixturePrefixes().toArray(String[]::new))
                        .map(output -> Tuple.of(c, output)))
            .toList());
  }

  @Provide
  Arbitrary<String> references() {
    Arbitrary<String> scheme =
        Arbitraries.of(
            "ostree-image-signed:",
            "ostree-unverified-image:",
            "ostree-unverified-registry:",
            "ostree-remote-image:",
            "ostree-remote-registry:",
            "ostree-remote-image:fedora:",
            "",
            ":");
    Arbitrary<String> transport =
        Arbitraries.of("docker://", "docker:", "registry:", "oci:", "oci-archive:", "bogus:", "");
    Arbitrary<String> image =
        Arbitraries.oneOf(
            Arbitraries.of("quay.io/fedora/fedora-coreos:stable", "", ":", "//"),
            Arbitraries.strings().all().ofMaxLength(40));
    return Combinators.combine(scheme, transport, image).as((s, t, i) -> s + t + i);
  }
}
