// qlik-jwt's types are a drop-in for @types/jsonwebtoken: every signature of jsonwebtoken's
// functions and error classes is accepted where qlik-jwt's are used, so code typed against
// jsonwebtoken compiles after changing only the import.
import type * as Jsonwebtoken from 'jsonwebtoken';
import jwt = require('qlik-jwt');

const sign: typeof Jsonwebtoken.sign = jwt.sign;
const verify: typeof Jsonwebtoken.verify = jwt.verify;
const decode: typeof Jsonwebtoken.decode = jwt.decode;
const JsonWebTokenError: typeof Jsonwebtoken.JsonWebTokenError = jwt.JsonWebTokenError;
const TokenExpiredError: typeof Jsonwebtoken.TokenExpiredError = jwt.TokenExpiredError;
const NotBeforeError: typeof Jsonwebtoken.NotBeforeError = jwt.NotBeforeError;

// And the option, header and payload types are interchangeable.
const signOptions: jwt.SignOptions = {} as Jsonwebtoken.SignOptions;
const theirSignOptions: Jsonwebtoken.SignOptions = {} as jwt.SignOptions;
const verifyOptions: jwt.VerifyOptions = {} as Jsonwebtoken.VerifyOptions;
const theirVerifyOptions: Jsonwebtoken.VerifyOptions = {} as jwt.VerifyOptions;
const complete: Jsonwebtoken.Jwt = {} as jwt.Jwt;
const getKey: jwt.GetPublicKeyOrSecret = {} as Jsonwebtoken.GetPublicKeyOrSecret;

void [sign, verify, decode, JsonWebTokenError, TokenExpiredError, NotBeforeError];
void [signOptions, theirSignOptions, verifyOptions, theirVerifyOptions, complete, getKey];
