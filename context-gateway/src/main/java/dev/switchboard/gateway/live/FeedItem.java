package dev.switchboard.gateway.live;

import dev.switchboard.gateway.calls.OutboundCall;
import dev.switchboard.gateway.commands.TrackedCommand;
import dev.switchboard.gateway.sessions.LiveSession;

/** A change the live stream tells its watchers about; each belongs to one room and one tenant. */
public sealed interface FeedItem {
    String room();

    String tenant();

    /** A session started, began ending or ended: its new state. */
    record SessionChanged(LiveSession session) implements FeedItem {
        @Override
        public String room() {
            return session.room();
        }

        @Override
        public String tenant() {
            return session.tenant();
        }
    }

    /** A session event was recorded in the room's timeline. */
    record EventRecorded(TimelineEntry entry, String tenant) implements FeedItem {
        @Override
        public String room() {
            return entry.room();
        }
    }

    /**
     * A room's outbound call changed: dialled, answered, failed, ended, or who answered became known.
     *
     * @param tenant whose the call is ({@code CallTenants})
     */
    record CallChanged(OutboundCall call, String tenant) implements FeedItem {
        @Override
        public String room() {
            return call.room();
        }
    }

    /** A command became known (sent through this gateway, or its result seen) or was decided. */
    record CommandChanged(TrackedCommand command) implements FeedItem {
        @Override
        public String room() {
            return command.room();
        }

        @Override
        public String tenant() {
            return command.tenant();
        }
    }
}
