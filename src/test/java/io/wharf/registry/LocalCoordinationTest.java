package io.wharf.registry;

class LocalCoordinationTest extends CoordinationContract {
    @Override
    protected Coordination coordination() {
        return new LocalCoordination(clock);
    }
}
