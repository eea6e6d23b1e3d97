package dev.moire.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.ScopeId;
import dev.moire.model.ScopeKind;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

final class HandleCleanerTest {
  private final MoireRuntime runtime = MoireRuntime.create(RuntimeSettings.defaults());

  /** Creates an entity and drops its only handle without closing it. */
  private EntityId createAndDrop(String name) {
    return runtime.createEntity(name, new EntityBody.OneshotTx(false)).id();
  }

  @Test
  @Timeout(30)
  void entityOfAHandleDroppedUnclosed_leavesTheGraph_afterGarbageCollection() {
    EntityId dropped = createAndDrop("forgotten");
    EntityHandle<EntityBody.OneshotTx> kept =
        runtime.createEntity("kept", new EntityBody.OneshotTx(false));
    assertThat(runtime.snapshot().entity(dropped)).isPresent();

    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              System.gc();
              return runtime.snapshot().entity(dropped).isEmpty();
            });
    assertThat(runtime.snapshot().entity(kept.id())).isPresent();
    kept.close();
  }

  @Test
  @Timeout(30)
  void aDroppedClone_releasesOnlyItsOwnReference() {
    EntityHandle<EntityBody.OneshotTx> kept =
        runtime.createEntity("shared", new EntityBody.OneshotTx(false));
    dropAClone(kept);
    EntityId other = createAndDrop("witness");
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              System.gc();
              return runtime.snapshot().entity(other).isEmpty();
            });
    // The witness proves collection ran; the entity survives because `kept` is still open.
    assertThat(kept.isAlive()).isTrue();
    kept.close();
    assertThat(kept.isAlive()).isFalse();
  }

  private static void dropAClone(EntityHandle<EntityBody.OneshotTx> handle) {
    handle.clone();
  }

  @Test
  @Timeout(30)
  void aScopeDroppedUnclosed_isRemoved_afterGarbageCollection() {
    ScopeId scope = runtime.openScope("dropped", ScopeKind.TASK).id();
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              System.gc();
              return runtime.snapshot().scopes().stream().noneMatch(s -> s.id().equals(scope));
            });
  }
}
