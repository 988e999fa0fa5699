import { DomainError } from '../web/domain-error.ts';

export class InvalidCredentials extends DomainError {
  constructor() {
    super('auth.invalid_credentials');
  }
}
export class InvalidSecondFactor extends DomainError {
  constructor() {
    super('auth.invalid_second_factor');
  }
}
export class TooManyAttempts extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super('auth.too_many_attempts', { retryAfterSeconds });
  }
}
