package io.wharf.auth;

import java.math.BigInteger;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;

/** Scalar multiplication on a prime-field curve, to recover a public key from a private one. */
final class EcMath {
    private EcMath() {
    }

    /** {@code s·G} for the curve's generator G, by double-and-add in affine coordinates. */
    static ECPoint multiply(ECParameterSpec params, BigInteger s) {
        BigInteger p = ((ECFieldFp) params.getCurve().getField()).getP();
        BigInteger a = params.getCurve().getA();
        ECPoint result = ECPoint.POINT_INFINITY;
        ECPoint addend = params.getGenerator();
        for (int i = 0; i < s.bitLength(); i++) {
            if (s.testBit(i)) {
                result = add(result, addend, p, a);
            }
            addend = add(addend, addend, p, a);
        }
        return result;
    }

    private static ECPoint add(ECPoint u, ECPoint v, BigInteger p, BigInteger a) {
        if (u.equals(ECPoint.POINT_INFINITY)) {
            return v;
        }
        if (v.equals(ECPoint.POINT_INFINITY)) {
            return u;
        }
        BigInteger lambda;
        if (u.getAffineX().equals(v.getAffineX())) {
            if (!u.getAffineY().equals(v.getAffineY()) || u.getAffineY().signum() == 0) {
                return ECPoint.POINT_INFINITY;
            }
            BigInteger x = u.getAffineX();
            lambda = x.pow(2).multiply(BigInteger.valueOf(3)).add(a)
                    .multiply(u.getAffineY().shiftLeft(1).modInverse(p)).mod(p);
        } else {
            lambda = v.getAffineY().subtract(u.getAffineY())
                    .multiply(v.getAffineX().subtract(u.getAffineX()).modInverse(p)).mod(p);
        }
        BigInteger x3 = lambda.pow(2).subtract(u.getAffineX()).subtract(v.getAffineX()).mod(p);
        BigInteger y3 = lambda.multiply(u.getAffineX().subtract(x3)).subtract(u.getAffineY()).mod(p);
        return new ECPoint(x3, y3);
    }
}
