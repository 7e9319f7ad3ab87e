package dev.refit.updater.hostmodel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * thar-be-updates' status file, /run/cache/thar-be-updates/status.json: on tmpfs, so every boot
 * starts without it, and created by the first update command of a boot with the active partition's
 * image and nothing else (bottlerocket-core-kit {@code sources/api/thar-be-updates/src/status.rs}
 * at 4d94a74: {@code UpdateStatus::new}, {@code update_active_partition_info}). Printed the way the
 * API server serializes it for {@code GET /updates/status}: compact JSON, fields in struct order.
 */
final class BottlerocketUpdateStatusFile {

  String state = "Idle";
  List<String> available = new ArrayList<>();
  String chosen;
  final String activeVersion;
  boolean activeNextToBoot;
  String stagingVersion;
  boolean stagingNextToBoot;
  String cmdType;
  String cmdStatus;
  Instant cmdTime;
  int exitStatus;
  String stderr;

  BottlerocketUpdateStatusFile(String activeVersion, boolean activeNextToBoot) {
    this.activeVersion = activeVersion;
    this.activeNextToBoot = activeNextToBoot;
  }

  /** {@code set_recent_command_info}: Success when the exit status is 0, else Failed. */
  void recent(String type, int exit, String err, Instant at) {
    cmdType = type;
    cmdStatus = exit == 0 ? "Success" : "Failed";
    exitStatus = exit;
    stderr = err;
    cmdTime = at;
  }

  String json(String arch, String variant) {
    StringBuilder out = new StringBuilder("{\"update_state\":\"").append(state).append("\",");
    out.append("\"available_updates\":[");
    for (int i = 0; i < available.size(); i++) {
      out.append(i == 0 ? "" : ",").append('"').append(available.get(i)).append('"');
    }
    out.append("],\"chosen_update\":").append(image(chosen, arch, variant));
    out.append(",\"active_partition\":")
        .append(partition(activeVersion, activeNextToBoot, arch, variant));
    out.append(",\"staging_partition\":")
        .append(partition(stagingVersion, stagingNextToBoot, arch, variant));
    out.append(",\"most_recent_command\":");
    if (cmdType == null) {
      out.append("null");
    } else {
      out.append("{\"cmd_type\":\"").append(cmdType).append("\",\"cmd_status\":\"");
      out.append(cmdStatus).append("\",\"timestamp\":\"").append(cmdTime).append("\",");
      out.append("\"exit_status\":").append(exitStatus).append(",\"stderr\":\"");
      out.append(stderr.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"));
      out.append("\"}");
    }
    return out.append("}").toString();
  }

  private static String image(String version, String arch, String variant) {
    return version == null
        ? "null"
        : "{\"arch\":\""
            + arch
            + "\",\"version\":\""
            + version
            + "\",\"variant\":\""
            + variant
            + "\"}";
  }

  private static String partition(String version, boolean next, String arch, String variant) {
    return version == null
        ? "null"
        : "{\"image\":" + image(version, arch, variant) + ",\"next_to_boot\":" + next + "}";
  }
}
