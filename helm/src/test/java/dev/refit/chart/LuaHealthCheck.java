package dev.refit.chart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.jse.JseBaseLib;

/**
 * An Argo CD resource health check (a Lua script) run the way Argo CD runs it: the object as the
 * global {@code obj}, JSON numbers as Lua numbers, lists as 1-based tables, and only the base,
 * package and table libraries (Argo CD opens no string, math or io library for a health check
 * unless {@code resource.customizations.useOpenLibs} says so), so a script that needs more fails
 * here as it would there.
 */
final class LuaHealthCheck {

  /** What the script returned: {@code hs.status} and {@code hs.message}. */
  record Health(String status, String message) {}

  private final Path script;
  private final String source;

  private LuaHealthCheck(Path script, String source) {
    this.script = script;
    this.source = source;
  }

  /** The health check in this file. */
  static LuaHealthCheck of(Path script) {
    try {
      return new LuaHealthCheck(script, Files.readString(script, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs the script against the object (parsed YAML or JSON) in a fresh Lua state. */
  Health assess(Map<String, Object> object) {
    Globals globals = new Globals();
    globals.load(new JseBaseLib());
    globals.load(new PackageLib());
    globals.load(new TableLib());
    LoadState.install(globals);
    LuaC.install(globals);
    globals.set("obj", toLua(object));
    LuaValue result = globals.load(source, script.getFileName().toString()).call();
    if (!result.istable()) {
      throw new AssertionError(script + " returned " + result.typename() + ", not a table");
    }
    LuaValue status = result.get("status");
    LuaValue message = result.get("message");
    return new Health(
        status.isnil() ? null : status.tojstring(), message.isnil() ? null : message.tojstring());
  }

  /** A parsed YAML/JSON value as Argo CD hands it to Lua. */
  static LuaValue toLua(Object value) {
    if (value == null) {
      return LuaValue.NIL;
    }
    if (value instanceof Map<?, ?> map) {
      LuaTable table = new LuaTable();
      map.forEach((k, v) -> table.set(String.valueOf(k), toLua(v)));
      return table;
    }
    if (value instanceof List<?> list) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < list.size(); i++) {
        table.set(i + 1, toLua(list.get(i)));
      }
      return table;
    }
    if (value instanceof Boolean b) {
      return LuaValue.valueOf(b);
    }
    if (value instanceof Number n) {
      // Argo CD's Lua (gopher-lua) has one number type, a float64
      return LuaValue.valueOf(n.doubleValue());
    }
    if (value instanceof String s) {
      return LuaValue.valueOf(s);
    }
    throw new IllegalArgumentException("no Lua value for " + value.getClass());
  }
}
