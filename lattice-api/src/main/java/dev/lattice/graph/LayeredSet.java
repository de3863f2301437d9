package dev.lattice.graph;

import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * A set an update can change without copying it, over a {@link Layered} map: the reverse indexes of
 * hub services (everyone admits the metrics scraper, so it is named by every service) hold tens of
 * thousands of ids, and copying one of them on each change cost the size of the cluster.
 */
final class LayeredSet<E> extends AbstractSet<E> {
  private final Layered<E, Boolean> map;

  private LayeredSet(Layered<E, Boolean> map) {
    this.map = map;
  }

  /** An empty set. */
  static <E> LayeredSet<E> empty() {
    return new LayeredSet<>(Layered.over(new java.util.HashMap<>()));
  }

  /**
   * The keys of {@code map}, which nobody modifies any more, as a set an update can change without
   * copying it.
   */
  static <E> LayeredSet<E> of(Map<E, Boolean> map) {
    return new LayeredSet<>(Layered.over(map));
  }

  /** A set to change that starts as {@code previous}, which stays as it is. */
  static <E> LayeredSet<E> over(Set<E> previous) {
    if (previous instanceof LayeredSet) {
      return new LayeredSet<>(Layered.over(((LayeredSet<E>) previous).map));
    }
    LayeredSet<E> s = empty();
    s.addAll(previous);
    return s;
  }

  @Override
  public int size() {
    return map.size();
  }

  @Override
  public boolean contains(Object o) {
    return map.containsKey(o);
  }

  @Override
  public boolean add(E e) {
    return map.put(e, Boolean.TRUE) == null;
  }

  @Override
  public boolean remove(Object o) {
    return map.remove(o) != null;
  }

  @Override
  public Iterator<E> iterator() {
    Iterator<java.util.Map.Entry<E, Boolean>> it = map.entrySet().iterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public E next() {
        return it.next().getKey();
      }
    };
  }
}
