package dev.refit.updater.selinux;

import dev.refit.api.Patterns;
import java.util.regex.Pattern;

/**
 * SELinux module names as libsemanage accepts them ({@link Patterns#SELINUX_MODULE}). The agent
 * checks every name it puts into a file path or a command line, whatever admission already checked:
 * such a name has no slash and starts with a letter, so it can neither leave /var/lib/refit/selinux
 * nor read as an option of semodule.
 */
public final class ModuleNames {

  private static final Pattern NAME = Pattern.compile(Patterns.SELINUX_MODULE);

  private ModuleNames() {}

  /** Whether semodule accepts this name. */
  public static boolean valid(String name) {
    return name != null && NAME.matcher(name).matches();
  }
}
