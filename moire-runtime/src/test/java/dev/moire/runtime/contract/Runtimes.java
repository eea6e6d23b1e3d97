package dev.moire.runtime.contract;

import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.RuntimeSettings;

/** The two runtimes every drop-in is checked in: tracking on and tracking off. */
final class Runtimes {
  static final MoireRuntime ON = MoireRuntime.create(RuntimeSettings.defaults());
  static final MoireRuntime OFF =
      MoireRuntime.create(RuntimeSettings.defaults().withEnabled(false));

  private Runtimes() {}

  /** How many tracked tasks (futures) named from {@code prefix} the tracking runtime shows now. */
  static long futuresNamed(String prefix) {
    return ON.snapshot().entitiesOfKind(dev.moire.model.EntityKind.FUTURE).stream()
        .filter(e -> e.name().startsWith(prefix))
        .count();
  }
}
