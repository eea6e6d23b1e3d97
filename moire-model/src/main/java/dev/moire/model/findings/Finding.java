package dev.moire.model.findings;

import dev.moire.model.EdgeKey;
import dev.moire.model.EntityId;
import dev.moire.model.internal.Checks;
import java.util.List;

/**
 * A fact or suspicion about a snapshot, with the entities and edges involved and an explanation in
 * words that names them and says where they come from.
 *
 * @param kind what the finding is about
 * @param certainty how sure it is
 * @param entities the entities involved, in the order the explanation walks them
 * @param edges the edges involved
 * @param explanation who waits on what, held by whom, with sources
 */
public record Finding(
    FindingKind kind,
    Certainty certainty,
    List<EntityId> entities,
    List<EdgeKey> edges,
    String explanation) {
  /**
   * Validates the finding and copies its lists.
   *
   * @throws NullPointerException if a component is null
   * @throws IllegalArgumentException if {@code explanation} is blank
   */
  public Finding {
    Checks.notNull(kind, "finding kind");
    Checks.notNull(certainty, "certainty");
    entities = List.copyOf(entities);
    edges = List.copyOf(edges);
    Checks.notBlank(explanation, "explanation");
  }

  @Override
  public String toString() {
    return kind + " (" + certainty + "): " + explanation;
  }
}
