import { DomainError } from '../web/domain-error.ts';

export class InvalidCredentials extends DomainError {
  constructor() {
    super('auth.invalid_credentials');
  }
}
export class SecondFactorRequired extends DomainError {
  constructor() {
    super('auth.second_factor_required');
  }
}
export class InvalidSecondFactor extends DomainError {
  constructor() {
    super('auth.invalid_second_factor');
  }
}
export class NotAuthenticated extends DomainError {
  constructor() {
    super('auth.not_authenticated');
  }
}
export class Forbidden extends DomainError {
  constructor() {
    super('auth.forbidden');
  }
}
export class TooManyAttempts extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super('auth.too_many_attempts', { retryAfterSeconds });
  }
}
