// The ES module entry: default and named imports, typed.
import jwt, { sign, verify, decode, TokenExpiredError, type JwtPayload } from 'qlik-jwt';

const token: string = sign({ a: 1 }, 'secret');
const payload = verify(token, 'secret') as JwtPayload;
const same: typeof sign = jwt.sign;
void [payload, same, decode(token), TokenExpiredError];
