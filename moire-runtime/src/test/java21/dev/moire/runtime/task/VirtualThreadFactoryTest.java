package dev.moire.runtime.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moire.model.EntityId;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.RuntimeSettings;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

final class VirtualThreadFactoryTest {
  @Test
  @Timeout(30)
  void virtualFactory_makesVirtualThreads_runningAsTrackedTasks() throws Exception {
    MoireRuntime runtime = MoireRuntime.create(RuntimeSettings.defaults().withProcessName("p1"));
    AtomicReference<EntityId> task = new AtomicReference<>();
    Thread t =
        TrackedThreadFactory.virtual(runtime, "vworker")
            .newThread(() -> task.set(runtime.currentTask().orElseThrow()));
    assertThat(t.isVirtual()).isTrue();
    assertThat(t.getName()).isEqualTo("vworker-1");
    t.start();
    t.join();
    assertThat(task.get()).hasToString("future:p1:vworker-1");
  }
}
