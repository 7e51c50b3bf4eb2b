package io.deployflow.smoke;

import io.deployflow.core.OutsideSystemException;

/** The service under test never answered below 500 within the ready timeout: nothing was tested, exit 3. */
public class ServiceNotReadyException extends OutsideSystemException {
    public ServiceNotReadyException(String readyUrl, String message) {
        super(readyUrl, message);
    }
}
