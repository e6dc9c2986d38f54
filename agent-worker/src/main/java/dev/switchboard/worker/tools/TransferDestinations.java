package dev.switchboard.worker.tools;

import io.smallrye.config.ConfigMapping;

import java.util.Map;

/**
 * Where the model may transfer callers, by name: {@code switchboard.transfer.destinations.billing=tel:+15550199}
 * (SWITCHBOARD_TRANSFER_DESTINATIONS_BILLING). The model names a destination, never a number, so it can only transfer
 * where it is allowed; without destinations it is not offered the {@code transfer_call} tool at all.
 */
@ConfigMapping(prefix = "switchboard.transfer")
public interface TransferDestinations {
    Map<String, String> destinations();
}
