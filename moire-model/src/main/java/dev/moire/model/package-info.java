/**
 * The moire graph model: entities, edges, scopes, events, the changes that build the graph, and
 * snapshots of it, all immutable and all with a stable JSON form ({@link
 * dev.moire.model.MoireJson}).
 *
 * <p>Every edge reads as a sentence "src KIND dst": {@code task waiting_on lock}, {@code mpsc_tx
 * paired_with mpsc_rx}. Presence of an entity in the graph means it is alive.
 */
@NullMarked
package dev.moire.model;

import org.jspecify.annotations.NullMarked;
