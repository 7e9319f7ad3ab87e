package dev.refit.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeOrderTest {

  @Test
  void namesAreOrderedAsPeopleCountThem() {
    List<String> names =
        new ArrayList<>(List.of("worker-10", "worker-2", "worker-1", "a", "worker-02", "infra-3"));
    names.sort(NodeOrder.NATURAL);
    assertThat(names)
        .containsExactly("a", "infra-3", "worker-1", "worker-02", "worker-2", "worker-10");
  }
}
