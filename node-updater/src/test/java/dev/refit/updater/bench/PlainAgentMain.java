package dev.refit.updater.bench;

import com.sun.net.httpserver.HttpServer;
import dev.refit.updater.agent.AgentMetrics;
import dev.refit.updater.agent.AgentSettings;
import dev.refit.updater.agent.NodeAgent;
import dev.refit.updater.backend.fake.FakeBackend;
import dev.refit.updater.backend.fake.FakeHost;
import dev.refit.updater.kube.ConfigMapModuleSources;
import dev.refit.updater.kube.OwnOsNodeWatch;
import dev.refit.updater.kube.StatusPatcher;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The same agent without Quarkus, for the memory comparison in docs/benchmarks.md: the Fabric8
 * client, one scheduler thread, and the JDK's HTTP server answering /q/health/ready.
 */
public final class PlainAgentMain {

  private PlainAgentMain() {}

  public static void main(String[] args) throws Exception {
    String node = System.getenv("NODE_NAME");
    KubernetesClient client = new KubernetesClientBuilder().build();
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    NodeAgent agent =
        new NodeAgent(
                node,
                new FakeBackend(FakeHost.running(node, "40.20241201.3.0")),
                new StatusPatcher(client),
                new ConfigMapModuleSources(client),
                executor,
                Clock.systemUTC(),
                AgentSettings.defaults(),
                AgentMetrics.NONE)
            .start();
    OwnOsNodeWatch watch = new OwnOsNodeWatch(client, node, agent);
    HttpServer http = HttpServer.create(new InetSocketAddress(Integer.parseInt(args[0])), 0);
    http.createContext(
        "/q/health/ready",
        exchange -> {
          byte[] body = ("{\"ready\":" + watch.watching() + "}").getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(watch.watching() ? 200 : 503, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    http.start();
  }
}
