package dev.refit.system;

import dev.refit.api.OSNode;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * What a node-updater may do on a real cluster, asked the way the API server decides it: RBAC
 * through SubjectAccessReviews, and admission through requests made with the node-updater's own
 * kind of token.
 */
final class AgentAccess {

  private AgentAccess() {}

  /** Whether RBAC lets this service account do this, cluster-wide. */
  static boolean rbacAllows(
      KubernetesClient admin,
      String namespace,
      String serviceAccount,
      String verb,
      String group,
      String resource,
      String subresource) {
    return admin
        .authorization()
        .v1()
        .subjectAccessReview()
        .create(
            new SubjectAccessReviewBuilder()
                .withNewSpec()
                .withUser("system:serviceaccount:" + namespace + ":" + serviceAccount)
                .withGroups(
                    "system:serviceaccounts",
                    "system:serviceaccounts:" + namespace,
                    "system:authenticated")
                .withNewResourceAttributes()
                .withVerb(verb)
                .withGroup(group)
                .withResource(resource)
                .withSubresource(subresource)
                .endResourceAttributes()
                .endSpec()
                .build())
        .getStatus()
        .getAllowed();
  }

  /**
   * A client holding a token of the pod's service account bound to the pod, as the kubelet mounts
   * it: the API server then names the pod's node in the request's user info (Kubernetes 1.30+),
   * which is what the admission policy compares with the OSNode's name.
   */
  static KubernetesClient asPod(KubernetesClient admin, Pod pod) {
    String token =
        admin
            .serviceAccounts()
            .inNamespace(pod.getMetadata().getNamespace())
            .withName(pod.getSpec().getServiceAccountName())
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(600L)
                    .withNewBoundObjectRef()
                    .withApiVersion("v1")
                    .withKind("Pod")
                    .withName(pod.getMetadata().getName())
                    .withUid(pod.getMetadata().getUid())
                    .endBoundObjectRef()
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    Config config = admin.getConfiguration();
    // Only the token: with the admin's client certificate as well, the request would be admin's.
    return new KubernetesClientBuilder()
        .withConfig(
            new ConfigBuilder(Config.empty())
                .withMasterUrl(config.getMasterUrl())
                .withCaCertData(config.getCaCertData())
                .withOauthToken(token)
                .withRequestRetryBackoffLimit(0)
                .build())
        .build();
  }

  /**
   * A dry-run merge patch of an OSNode's status, one request as the agent's own writes are (no GET
   * first): admission decides on it, nothing is stored.
   */
  static OSNode dryRunStatusPatch(KubernetesClient as, String osNode, String bootId) {
    OSNode target = new OSNode();
    target.setMetadata(new ObjectMetaBuilder().withName(osNode).build());
    return as.resources(OSNode.class)
        .resource(target)
        .dryRun()
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"bootId\":\"" + bootId + "\"}}");
  }
}
