/**
 * The moire graph model: entities, edges, scopes, events, the changes that build the graph, and
 * snapshots of it, all immutable and all with a stable JSON form, which {@code MoireJson} (in
 * moire-store) reads and writes. The module needs nothing at run time: the Jackson annotations that
 * define that form are optional, and ignored where Jackson is absent.
 *
 * <p>Every edge reads as a sentence "src KIND dst": {@code task waiting_on lock}, {@code mpsc_tx
 * paired_with mpsc_rx}. Presence of an entity in the graph means it is alive.
 */
@NullMarked
package dev.moire.model;

import org.jspecify.annotations.NullMarked;
