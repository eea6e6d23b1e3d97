package dev.moire.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moire.model.Change;
import dev.moire.model.GraphState;
import dev.moire.model.Snapshot;
import java.util.List;

/** Checks on a runtime's journal shared by the replay tests. */
final class Journals {
  private Journals() {}

  /**
   * Cuts a snapshot and checks that the journal starts at 1, has no gap, ends at the snapshot's
   * sequence number and replays to exactly the snapshot; returns the journal.
   */
  static List<Change> assertReplaysToTheLiveGraph(MoireRuntime runtime) {
    Snapshot live = runtime.snapshot();
    List<Change> journal = runtime.journal();
    assertThat(journal.get(0).seq()).isEqualTo(1);
    for (int i = 1; i < journal.size(); i++) {
      assertThat(journal.get(i).seq()).as("no gap").isEqualTo(journal.get(i - 1).seq() + 1);
    }
    assertThat(journal.get(journal.size() - 1).seq()).isEqualTo(live.seq());
    GraphState replayed = new GraphState(runtime.settings().eventCapacity());
    journal.forEach(replayed::apply);
    Snapshot replay = replayed.toSnapshot(live.runtime(), live.at(), live.threads());
    // Part by part first, so that a difference is named rather than buried in two whole graphs.
    assertThat(replay.entities()).as("entities").containsExactlyElementsOf(live.entities());
    assertThat(replay.scopes()).as("scopes").containsExactlyElementsOf(live.scopes());
    assertThat(replay.links()).as("scope links").containsExactlyElementsOf(live.links());
    assertThat(replay.edges()).as("edges").containsExactlyElementsOf(live.edges());
    assertThat(replay.events()).as("events").containsExactlyElementsOf(live.events());
    assertThat(replay).isEqualTo(live);
    return journal;
  }
}
