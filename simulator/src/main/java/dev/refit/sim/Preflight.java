package dev.refit.sim;

import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.RefitApi;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a person should know before the run: the nodes each policy selects, the budgets that can
 * never allow an eviction (their nodes' drains could never finish), and the pods the simulation
 * leaves out or cannot place, each with why. Pure: from the scenario (and its snapshot) alone.
 */
final class Preflight {

  /** How many node names a line lists before "and N more". */
  static final int NAMES_SHOWN = 10;

  /** What a finding is about. */
  enum Kind {
    /** The nodes a policy selects. */
    SELECTED,
    /** A budget that allows no eviction even when all its pods are healthy. */
    BLOCKING_BUDGET,
    /** A pod the simulation leaves out or cannot place. */
    NOT_SIMULATED
  }

  /**
   * One thing found.
   *
   * @param kind what it is about
   * @param subject the policy, budget (namespace/name) or pod (namespace/name)
   * @param detail what a person reads about it
   * @param nodes the nodes concerned (those selected, or those the budget's pods sit on)
   */
  record Finding(Kind kind, String subject, String detail, List<String> nodes) {}

  private Preflight() {}

  static List<Finding> of(Scenario scenario) {
    List<Finding> findings = new ArrayList<>(selections(scenario));
    FleetSnapshot snapshot = scenario.snapshot();
    if (snapshot == null) {
      findings.addAll(scenarioBudgets(scenario));
    } else {
      findings.addAll(snapshotBudgets(snapshot));
      snapshot.skipped.forEach(
          s -> findings.add(new Finding(Kind.NOT_SIMULATED, s.pod(), s.why(), List.of())));
      findings.addAll(unplaceable(snapshot));
    }
    return findings;
  }

  private static List<Finding> selections(Scenario scenario) {
    List<Finding> findings = new ArrayList<>();
    for (OSUpdatePolicy policy : scenario.policyObjects()) {
      List<String> selected = new ArrayList<>();
      for (Scenario.NodeGroup group : scenario.nodes()) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String name : group.names()) {
          // the labels every simulated node carries, then the group's own
          labels.put("kubernetes.io/hostname", name);
          labels.put("kubernetes.io/os", "linux");
          labels.put("kubernetes.io/arch", "amd64");
          labels.putAll(group.labels());
          if (policy.getSpec().getNodeSelector().matches(labels)
              && !labels.containsKey(RefitApi.EXCLUDE_LABEL)) {
            selected.add(name);
          }
          labels.clear();
        }
      }
      findings.add(
          new Finding(
              Kind.SELECTED,
              policy.getMetadata().getName(),
              selected.size() + " node" + (selected.size() == 1 ? "" : "s"),
              selected));
    }
    return findings;
  }

  private static List<Finding> scenarioBudgets(Scenario scenario) {
    List<Finding> findings = new ArrayList<>();
    for (Scenario.WorkloadSpec w : scenario.workloads()) {
      if (w.pdb() != null
          && allowedDisruptions(w.pdb().minAvailable(), w.pdb().maxUnavailable(), w.replicas())
              <= 0) {
        findings.add(
            new Finding(
                Kind.BLOCKING_BUDGET,
                w.namespace() + "/" + w.name(),
                budgetText(
                    w.pdb().minAvailable(), w.pdb().maxUnavailable(), w.replicas(), w.name()),
                List.of()));
      }
    }
    return findings;
  }

  private static List<Finding> snapshotBudgets(FleetSnapshot snapshot) {
    List<Finding> findings = new ArrayList<>();
    for (PodDisruptionBudget budget : snapshot.budgets) {
      String namespace = budget.getMetadata().getNamespace();
      Set<String> owners = new TreeSet<>();
      Set<String> nodes = new TreeSet<>();
      int expected = 0;
      for (Pod pod : snapshot.pods) {
        if (pod.getMetadata().getNamespace().equals(namespace)
            && FleetSnapshot.selects(
                budget.getSpec().getSelector(), pod.getMetadata().getLabels())) {
          expected++;
          OwnerReference owner = FleetSnapshot.controller(pod).orElse(null);
          owners.add(
              owner == null
                  ? "bare pod " + pod.getMetadata().getName()
                  : owner.getKind() + " " + owner.getName());
          if (pod.getSpec().getNodeName() != null) {
            nodes.add(pod.getSpec().getNodeName());
          }
        }
      }
      IntOrString min = budget.getSpec().getMinAvailable();
      IntOrString max = budget.getSpec().getMaxUnavailable();
      if (expected > 0 && allowedDisruptions(min, max, expected) <= 0) {
        findings.add(
            new Finding(
                Kind.BLOCKING_BUDGET,
                namespace + "/" + budget.getMetadata().getName(),
                budgetText(min, max, expected, String.join(", ", owners)),
                List.copyOf(nodes)));
      }
    }
    return findings;
  }

  /** Snapshot pods that ran on no node of the snapshot and fit none of them now. */
  private static List<Finding> unplaceable(FleetSnapshot snapshot) {
    List<Finding> findings = new ArrayList<>();
    Set<String> known = new TreeSet<>();
    snapshot.nodeObjects.forEach(n -> known.add(n.getMetadata().getName()));
    Map<String, Scheduling.Requests> used = Scheduling.usage(snapshot.pods);
    for (FleetSnapshot.Workload workload : snapshot.workloads) {
      for (Pod pod : workload.pods()) {
        String ran = pod.getSpec().getNodeName();
        if (ran != null && known.contains(ran)) {
          continue;
        }
        Scheduling.Placement placement = Scheduling.place(pod, snapshot.nodeObjects, used);
        if (!placement.placed()) {
          findings.add(
              new Finding(
                  Kind.NOT_SIMULATED,
                  pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName(),
                  "cannot be placed, stays Pending: " + placement.reason(),
                  List.of()));
        }
      }
    }
    return findings;
  }

  /**
   * Evictions a budget allows with all its {@code expected} pods healthy (the disruption
   * controller's arithmetic: percentages of the expected count rounded up).
   */
  static int allowedDisruptions(
      IntOrString minAvailable, IntOrString maxUnavailable, int expected) {
    if (minAvailable != null) {
      return expected - scaled(minAvailable, expected);
    }
    if (maxUnavailable != null) {
      return Math.min(expected, scaled(maxUnavailable, expected));
    }
    return expected;
  }

  private static int scaled(IntOrString value, int total) {
    if (value.getIntVal() != null) {
      return value.getIntVal();
    }
    String text = value.getStrVal().trim();
    if (!text.endsWith("%")) {
      return Integer.parseInt(text);
    }
    int percent = Integer.parseInt(text.substring(0, text.length() - 1));
    return (int) Math.ceil(percent * (double) total / 100);
  }

  private static String budgetText(IntOrString min, IntOrString max, int pods, String covering) {
    String rule =
        min != null ? "minAvailable " + min.getValue() : "maxUnavailable " + max.getValue();
    return rule
        + " with "
        + pods
        + " pod"
        + (pods == 1 ? "" : "s")
        + " ("
        + covering
        + "): no eviction is ever allowed: its nodes are not cordoned but handled as drain.onTimeout"
        + " says (under Force: drained, and forced at the timeout)";
  }

  /** Prints the findings for a person, before the run. */
  static void print(PrintStream out, List<Finding> findings) {
    out.println("Preflight");
    for (Finding f : findings) {
      if (f.kind() == Kind.SELECTED) {
        out.printf(
            "  policy %s selects %s%s%n",
            f.subject(), f.detail(), f.nodes().isEmpty() ? "" : ": " + names(f.nodes()));
      }
    }
    long blocking = findings.stream().filter(f -> f.kind() == Kind.BLOCKING_BUDGET).count();
    out.printf("  budgets that never allow an eviction: %d%n", blocking);
    for (Finding f : findings) {
      if (f.kind() == Kind.BLOCKING_BUDGET) {
        out.printf(
            "    %s: %s%s%n",
            f.subject(),
            f.detail(),
            f.nodes().isEmpty() ? "" : "; its pods run on " + names(f.nodes()));
      }
    }
    long skipped = findings.stream().filter(f -> f.kind() == Kind.NOT_SIMULATED).count();
    out.printf("  pods not simulated: %d%n", skipped);
    findings.stream()
        .filter(f -> f.kind() == Kind.NOT_SIMULATED)
        .limit(20)
        .forEach(f -> out.printf("    %s: %s%n", f.subject(), f.detail()));
    if (skipped > 20) {
      out.printf("    and %d more%n", skipped - 20);
    }
  }

  private static String names(List<String> nodes) {
    String shown = String.join(", ", nodes.subList(0, Math.min(NAMES_SHOWN, nodes.size())));
    return shown
        + (nodes.size() > NAMES_SHOWN ? " and " + (nodes.size() - NAMES_SHOWN) + " more" : "");
  }
}
