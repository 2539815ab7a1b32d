package dev.unlearning.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.unlearning.engine.data.UriResolver;
import dev.unlearning.store.BlobStores;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The workers refuse what the CRD refuses: a location that climbs out of its claim or prefix. */
class LocationsTest {

    @ParameterizedTest
    @ValueSource(strings = {"pvc://data/../other-team/ids.txt", "pvc://../claim", "file:///data/..", "s3://b/p/../q"})
    void aParentSegmentIsRefusedByTheResolverAndTheStore(String uri) {
        assertThatThrownBy(() -> UriResolver.local(Path.of("/data")).resolve(uri))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'..'").hasMessageContaining(uri);
        assertThatThrownBy(() -> BlobStores.open(uri, Path.of("/data")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'..'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pvc://data/a..b/ids.txt", "file:///data/..hidden", "pvc://data/v1.../x"})
    void namesThatOnlyContainDotsAreFine(String uri) throws Exception {
        assertThat(Locations.requireNoParentSegments(uri)).isEqualTo(uri);
        assertThat(UriResolver.local(Path.of("/data")).resolve(uri)).isNotNull();
    }
}
