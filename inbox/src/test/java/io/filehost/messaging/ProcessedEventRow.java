package io.filehost.messaging;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** The test app's only entity: Hibernate ORM (and so the EntityManager the library uses) needs one to start. */
@Entity
@Table(name = "processed_event")
@IdClass(ProcessedEventRow.Key.class)
public class ProcessedEventRow {
    @Id
    public String consumer;

    @Id
    @Column(name = "event_id")
    public String eventId;

    @Column(name = "processed_at")
    public Instant processedAt;

    public static class Key implements Serializable {
        public String consumer;
        public String eventId;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(consumer, k.consumer) && Objects.equals(eventId, k.eventId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(consumer, eventId);
        }
    }
}
