package dev.lattice.graph;

import dev.lattice.model.Declaration;
import dev.lattice.model.Direction;
import dev.lattice.model.PeerRef;
import dev.lattice.model.Port;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;

/** The platform's metrics scraper as resolution adds it (DESIGN §3). */
final class MetricsScraper {
  private MetricsScraper() {}

  /**
   * The implicit inbound side of {@code service} toward {@code scraper}: the scraped port alone, by
   * pod IP, sourced where the port (else the service) is declared.
   */
  static Declaration inbound(ServiceId scraper, Port scraped, Service service) {
    return Declaration.builder()
        .peer(PeerRef.of(scraper.namespace(), scraper.name()))
        .direction(Direction.INBOUND)
        .addPorts(scraped.name())
        .byPodIp(true)
        .source(scraped.source().or(service::source))
        .build();
  }
}
