package dev.refit.updater.host;

import dev.refit.api.OSFamily;
import java.util.List;
import java.util.Set;

/**
 * Tells which {@link OSFamily} a host runs from its {@code /etc/os-release}.
 *
 * <p>Rules, first match wins:
 *
 * <ol>
 *   <li>{@code ID=bottlerocket} is Bottlerocket (old and new file formats alike); {@code
 *       ID=flatcar} is Flatcar.
 *   <li>{@code ID=rhcos} is RHCOS and {@code ID=scos} is CentOS Stream CoreOS. From release 10 on,
 *       both use their base distribution's ID ({@code rhel}, {@code centos}) with {@code
 *       VARIANT_ID=coreos}, so those pairs map to RHCOS and CentOS Stream CoreOS too.
 *   <li>{@code ID=fedora} with {@code VARIANT_ID=coreos} is Fedora CoreOS.
 *   <li>Any other Fedora, CentOS or RHEL (by {@code ID} or {@code ID_LIKE}, so rebranded derived
 *       images count) that carries {@code OSTREE_VERSION} is an image-mode host: Bootc. A bootc
 *       base image has no {@code VARIANT_ID=coreos}, but rpm-ostree stamps {@code OSTREE_VERSION}
 *       into every image it builds, which a package-mode Fedora or RHEL never has. This is a strong
 *       hint rather than proof; the bootc backend confirms it with {@code bootc status} (a booted
 *       image must be reported) before acting.
 *   <li>Everything else, such as Fedora Server, is unsupported.
 * </ol>
 */
public final class OsFamilyDetector {

  private static final String SOURCE = "/etc/os-release";
  private static final Set<String> IMAGE_MODE_BASES = Set.of("fedora", "centos", "rhel");
  private static final String SUPPORTED =
      "a container OS Refit can update (Fedora CoreOS, RHCOS, CentOS Stream CoreOS,"
          + " an image-mode bootc host, Bottlerocket or Flatcar)";

  private OsFamilyDetector() {}

  /** Detects the family, or explains why the host is not one Refit supports. */
  public static OSFamily detect(OsRelease osRelease) throws HostOutputException {
    String id =
        osRelease
            .id()
            .filter(v -> !v.isBlank())
            .orElseThrow(() -> new HostOutputException(SOURCE, "an ID= line", summary(osRelease)));
    boolean coreos = osRelease.variantId().map("coreos"::equals).orElse(false);
    // From release 10 on, RHCOS and SCOS use their base distribution's ID.
    OSFamily byId =
        switch (id) {
          case "bottlerocket" -> OSFamily.Bottlerocket;
          case "flatcar" -> OSFamily.Flatcar;
          case "rhcos" -> OSFamily.RHCOS;
          case "scos" -> OSFamily.CentOSStreamCoreOS;
          case "rhel" -> coreos ? OSFamily.RHCOS : null;
          case "centos" -> coreos ? OSFamily.CentOSStreamCoreOS : null;
          case "fedora" -> coreos ? OSFamily.FedoraCoreOS : null;
          default -> null;
        };
    if (byId != null) {
      return byId;
    }
    if (isImageModeBase(id, osRelease.idLike()) && osRelease.ostreeVersion().isPresent()) {
      return OSFamily.Bootc;
    }
    throw new UnsupportedHostException(SOURCE, SUPPORTED, summary(osRelease));
  }

  private static boolean isImageModeBase(String id, List<String> idLike) {
    return IMAGE_MODE_BASES.contains(id) || idLike.stream().anyMatch(IMAGE_MODE_BASES::contains);
  }

  /** The identifying fields, so the error shows what the host says it is. */
  private static String summary(OsRelease osRelease) {
    StringBuilder out = new StringBuilder();
    for (String key : List.of("ID", "ID_LIKE", "VARIANT_ID", "VERSION_ID", "NAME", "PRETTY_NAME")) {
      osRelease.get(key).ifPresent(v -> out.append(key).append('=').append(v).append(' '));
    }
    return out.length() == 0 ? String.join(",", osRelease.fields().keySet()) : out.toString();
  }
}
