package dev.moire.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moire.model.Entity;
import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.Snapshot;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

final class VirtualThreadContextTest {
  private final MoireRuntime runtime =
      MoireRuntime.create(RuntimeSettings.defaults().withProcessName("p1"));

  @Test
  @Timeout(30)
  void aVirtualThread_isRepresentedByAThreadEntityMarkedVirtual() throws Exception {
    AtomicReference<EntityId> id = new AtomicReference<>();
    AtomicReference<Entity> seen = new AtomicReference<>();
    Thread vt =
        Thread.ofVirtual()
            .name("vt-worker")
            .start(
                () -> {
                  id.set(runtime.currentTask().orElseThrow());
                  seen.set(runtime.snapshot().entity(id.get()).orElseThrow());
                });
    vt.join();
    assertThat(seen.get().body()).isEqualTo(new EntityBody.Thread("vt-worker", true));
    assertThat(id.get()).hasToString("thread:p1:vt-worker");
  }

  @Test
  @Timeout(30)
  void anUnnamedVirtualThread_getsAReadableName() throws Exception {
    AtomicReference<EntityId> id = new AtomicReference<>();
    CountDownLatch ready = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread vt =
        Thread.ofVirtual()
            .start(
                () -> {
                  id.set(runtime.currentTask().orElseThrow());
                  ready.countDown();
                  try {
                    release.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    try {
      ready.await();
      Snapshot s = runtime.snapshot();
      Entity seen = s.entity(id.get()).orElseThrow();
      assertThat(seen.name()).startsWith("virtual-");
      assertThat(((EntityBody.Thread) seen.body()).virtual()).isTrue();
      assertThat(s.threads())
          .filteredOn(t -> t.entity().equals(Optional.of(id.get())))
          .singleElement()
          .satisfies(t -> assertThat(t.virtual()).isTrue());
    } finally {
      release.countDown();
      vt.join();
    }
  }
}
