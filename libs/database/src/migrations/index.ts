import { CreateFoundation1764400000000 } from './1764400000000-create-foundation';
import { CreateCallForContributions1764450000000 } from './1764450000000-create-call-for-contributions';
import { CreateReviewAndDecisions1764500000000 } from './1764500000000-create-review-and-decisions';
import { CreateProgramme1764600000000 } from './1764600000000-create-programme';
import { CreateRegistration1764700000000 } from './1764700000000-create-registration';
import { CreateSurveys1764800000000 } from './1764800000000-create-surveys';
import { CreateWorkshopSignups1764900000000 } from './1764900000000-create-workshop-signups';
import { AddInvitationCodeRevocation1765100000000 } from './1765100000000-add-invitation-code-revocation';
import { CreateRegisterAttendeeFunction1765150000000 } from './1765150000000-create-register-attendee-function';
import { CreateSurveyAnswers1765300000000 } from './1765300000000-create-survey-answers';
import { CountWaitingList1765350000000 } from './1765350000000-count-waiting-list';
import { NotifyRegistrationContext1765400000000 } from './1765400000000-notify-registration-context';
import { RegisterAttendeesTogether1765450000000 } from './1765450000000-register-attendees-together';

/** Every migration, in order. A new migration is added here by hand, after review. */
export const MIGRATIONS = [
  CreateFoundation1764400000000,
  CreateCallForContributions1764450000000,
  CreateReviewAndDecisions1764500000000,
  CreateProgramme1764600000000,
  CreateRegistration1764700000000,
  CreateSurveys1764800000000,
  CreateWorkshopSignups1764900000000,
  AddInvitationCodeRevocation1765100000000,
  CreateRegisterAttendeeFunction1765150000000,
  CreateSurveyAnswers1765300000000,
  CountWaitingList1765350000000,
  NotifyRegistrationContext1765400000000,
  RegisterAttendeesTogether1765450000000,
];
