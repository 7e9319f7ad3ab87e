package dev.refit.updater.bench;

import dev.refit.api.OSNode;
import dev.refit.api.OSNodeSpec;
import dev.refit.api.OSTarget;
import dev.refit.api.Revisions;
import dev.refit.testing.EmbeddedKubernetes;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/**
 * The embedded API for the agent's memory benchmark (docs/benchmarks.md): listens on the given port
 * with the OSNode {@code bench-1} created, so an agent started with {@code NODE_NAME=bench-1}
 * watches it and reports, then idles. Runs until killed.
 */
public final class BenchmarkApi {

  private BenchmarkApi() {}

  public static void main(String[] args) throws InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 18443;
    EmbeddedKubernetes api = EmbeddedKubernetes.start(port);
    OSNode osNode = new OSNode();
    osNode.setMetadata(new ObjectMetaBuilder().withName("bench-1").build());
    OSNodeSpec spec = new OSNodeSpec();
    spec.setPolicy("bench");
    spec.setOs(OSTarget.version("40.20241201.3.0"));
    spec.setDesiredRevision(Revisions.of(spec.getOs(), null));
    osNode.setSpec(spec);
    api.client().resource(osNode).create();
    System.out.println("embedded API on " + api.url());
    Thread.currentThread().join();
  }
}
