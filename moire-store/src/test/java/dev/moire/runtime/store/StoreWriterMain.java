package dev.moire.runtime.store;

import dev.moire.model.EntityBody;
import dev.moire.runtime.EntityHandle;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.RuntimeSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A child JVM of {@link MultiJvmStoreTest}: writes snapshots to a shared store, then exits. */
public final class StoreWriterMain {
  private StoreWriterMain() {}

  /** Arguments: store file, writer name, snapshots to write, entities per snapshot. */
  public static void main(String[] args) {
    Path file = Path.of(args[0]);
    String writer = args[1];
    int snapshots = Integer.parseInt(args[2]);
    int entities = Integer.parseInt(args[3]);
    MoireRuntime runtime = MoireRuntime.create(RuntimeSettings.defaults().withProcessName(writer));
    List<EntityHandle<EntityBody.Latch>> kept = new ArrayList<>();
    for (int i = 0; i < entities; i++) {
      kept.add(runtime.createEntity("latch", new EntityBody.Latch(i)));
    }
    try (MoireStore store = MoireStore.open(file)) {
      for (int i = 0; i < snapshots; i++) {
        store.save(
            writer + ".test" + (i % 3),
            "failure",
            runtime.snapshot(),
            runtime.journal(),
            List.of());
      }
    }
    kept.forEach(EntityHandle::close);
  }
}
