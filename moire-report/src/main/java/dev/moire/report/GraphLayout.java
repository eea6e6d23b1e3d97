package dev.moire.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.elk.alg.layered.options.LayeredMetaDataProvider;
import org.eclipse.elk.alg.layered.options.LayeredOptions;
import org.eclipse.elk.core.RecursiveGraphLayoutEngine;
import org.eclipse.elk.core.data.LayoutMetaDataService;
import org.eclipse.elk.core.math.ElkPadding;
import org.eclipse.elk.core.options.CoreOptions;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.EdgeRouting;
import org.eclipse.elk.core.options.PortConstraints;
import org.eclipse.elk.core.options.PortSide;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkBendPoint;
import org.eclipse.elk.graph.ElkConnectableShape;
import org.eclipse.elk.graph.ElkEdge;
import org.eclipse.elk.graph.ElkEdgeSection;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.ElkPort;
import org.eclipse.elk.graph.util.ElkGraphUtil;

/**
 * Lays out a wait-for graph with ELK's layered algorithm (left to right: tasks, then what they wait
 * on, hold and poll). A box may have several slots, one per entity it shows (a channel's sender and
 * receiver share one box, as a pair); edges end at the slot of their entity.
 *
 * <p>ELK's meta data is registered once per JVM (its service is a process-wide singleton);
 * everything else is local to one call.
 */
final class GraphLayout {
  static final double SLOT_W = 170;
  static final double SLOT_H = 34;

  /** A box to place, showing one or more entities stacked top to bottom. */
  record Box(String id, List<String> slots) {}

  /** An edge from one entity to another. */
  record Link(String id, String src, String dst) {}

  /** Where everything went: slot rectangles by entity id, polylines by link id. */
  record Result(
      Map<String, double[]> slots,
      Map<String, List<double[]>> routes,
      double width,
      double height) {}

  private static final Object REGISTER = new Object();
  private static boolean registered;

  private GraphLayout() {}

  static Result layout(List<Box> boxes, List<Link> links) {
    return layout(boxes, links, 60.0);
  }

  /** Lays out as {@link #layout(List, List)} does, with {@code layerSpacing} between layers. */
  static Result layout(List<Box> boxes, List<Link> links, double layerSpacing) {
    synchronized (REGISTER) {
      if (!registered) {
        LayoutMetaDataService.getInstance()
            .registerLayoutMetaDataProviders(new LayeredMetaDataProvider());
        registered = true;
      }
    }
    ElkNode root = ElkGraphUtil.createGraph();
    root.setProperty(CoreOptions.ALGORITHM, LayeredOptions.ALGORITHM_ID);
    root.setProperty(CoreOptions.DIRECTION, Direction.RIGHT);
    root.setProperty(CoreOptions.EDGE_ROUTING, EdgeRouting.POLYLINE);
    root.setProperty(CoreOptions.PADDING, new ElkPadding(20));
    root.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, layerSpacing);
    root.setProperty(CoreOptions.SPACING_NODE_NODE, 18.0);
    root.setProperty(CoreOptions.SEPARATE_CONNECTED_COMPONENTS, true);
    Map<String, ElkConnectableShape> target = new HashMap<>();
    Map<String, ElkNode> nodeOf = new HashMap<>();
    Map<String, Integer> slotIndex = new HashMap<>();
    for (Box b : boxes) {
      ElkNode n = ElkGraphUtil.createNode(root);
      n.setIdentifier(b.id());
      n.setDimensions(SLOT_W, SLOT_H * b.slots().size());
      if (b.slots().size() == 1) {
        target.put(b.slots().get(0), n);
      } else {
        n.setProperty(CoreOptions.PORT_CONSTRAINTS, PortConstraints.FIXED_POS);
        for (int i = 0; i < b.slots().size(); i++) {
          ElkPort p = ElkGraphUtil.createPort(n);
          p.setDimensions(1, 1);
          p.setLocation(-1, SLOT_H * i + SLOT_H / 2);
          p.setProperty(CoreOptions.PORT_SIDE, PortSide.WEST);
          target.put(b.slots().get(i), p);
        }
      }
      for (int i = 0; i < b.slots().size(); i++) {
        nodeOf.put(b.slots().get(i), n);
        slotIndex.put(b.slots().get(i), i);
      }
    }
    Map<String, ElkEdge> edges = new HashMap<>();
    for (Link l : links) {
      ElkConnectableShape s = target.get(l.src());
      ElkConnectableShape d = target.get(l.dst());
      if (s == null || d == null || nodeOf.get(l.src()) == nodeOf.get(l.dst())) {
        continue; // within one box (a pair): drawn inside it
      }
      // A slot of a multi-slot box is a port on its west side: edges leave boxes from the east.
      ElkConnectableShape from = s instanceof ElkPort ? nodeOf.get(l.src()) : s;
      edges.put(l.id(), ElkGraphUtil.createSimpleEdge(from, d));
    }
    new RecursiveGraphLayoutEngine().layout(root, new BasicProgressMonitor());

    Map<String, double[]> slots = new HashMap<>();
    for (Map.Entry<String, ElkNode> e : nodeOf.entrySet()) {
      ElkNode n = e.getValue();
      int i = slotIndex.get(e.getKey());
      slots.put(e.getKey(), new double[] {n.getX(), n.getY() + SLOT_H * i, SLOT_W, SLOT_H});
    }
    Map<String, List<double[]>> routes = new HashMap<>();
    for (Map.Entry<String, ElkEdge> e : edges.entrySet()) {
      List<double[]> points = new ArrayList<>();
      for (ElkEdgeSection sec : e.getValue().getSections()) {
        points.add(new double[] {sec.getStartX(), sec.getStartY()});
        for (ElkBendPoint bp : sec.getBendPoints()) {
          points.add(new double[] {bp.getX(), bp.getY()});
        }
        points.add(new double[] {sec.getEndX(), sec.getEndY()});
      }
      routes.put(e.getKey(), points);
    }
    return new Result(slots, routes, root.getWidth(), root.getHeight());
  }
}
