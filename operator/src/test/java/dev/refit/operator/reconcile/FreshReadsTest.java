package dev.refit.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class FreshReadsTest {

  private static Node node(String name, String resourceVersion) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withResourceVersion(resourceVersion)
        .endMetadata()
        .build();
  }

  @Test
  void aCachedNodeThatANewerListLacksWasDeleted() {
    FreshReads<Node> reads = new FreshReads<>();
    reads.listed(List.of(node("w-1", "10")), "20");

    assertThat(reads.goneFromServer(node("w-2", "15"))).isTrue();
    assertThat(reads.goneFromServer(node("w-1", "10"))).isFalse();
  }

  @Test
  void aNodeCreatedAfterTheListIsNotHidden() {
    FreshReads<Node> reads = new FreshReads<>();
    reads.listed(List.of(node("w-1", "10")), "20");

    assertThat(reads.goneFromServer(node("w-2", "21"))).isFalse();
  }

  @Test
  void withoutAListOrItsVersionNothingIsHidden() {
    FreshReads<Node> reads = new FreshReads<>();
    assertThat(reads.goneFromServer(node("w-2", "15"))).isFalse();

    reads.listed(List.of(node("w-1", "10")), null);
    assertThat(reads.goneFromServer(node("w-2", "15"))).isFalse();
  }

  @Test
  void theListedNodesAreKeptAsTheFresherCopies() {
    FreshReads<Node> reads = new FreshReads<>();
    Node listed = node("w-1", "12");
    reads.listed(List.of(listed), "20");

    assertThat(reads.fresher("w-1", node("w-1", "10"))).isSameAs(listed);
  }
}
